"""X-Query-Count on every response, so the benchmark reads each page's query count from the server."""

from django.db import connection


class QueryCountMiddleware:
    """Counts the queries run on the default connection while the request is handled (bench only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
