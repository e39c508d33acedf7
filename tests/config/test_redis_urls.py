from config.redis_urls import celery_broker_url


def test_a_unix_socket_url_becomes_kombus_spelling_with_its_database():
    assert (
        celery_broker_url("unix:///srv/redis/redis.sock?db=3") == "redis+socket:///srv/redis/redis.sock?virtual_host=3"
    )
    assert celery_broker_url("unix:///srv/redis/redis.sock") == "redis+socket:///srv/redis/redis.sock?virtual_host=0"


def test_a_tcp_url_is_the_brokers_too():
    assert celery_broker_url("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"
