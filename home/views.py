from django.shortcuts import render
from django.views.decorators.http import require_GET

from home.selectors import home_overview


@require_GET
def home(request):
    """Each role's first concern on top: staff their drafts and returned bulletins, reviewers their
    queue, office heads this month's dashboard summary."""
    return render(request, "home/home.html", {"overview": home_overview(user=request.user)})
