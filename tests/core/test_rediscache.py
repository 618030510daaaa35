"""The Redis cache keeps one client object per connection pool (core.rediscache): building a
redis-py client costs more than a round trip to Redis."""

from core.rediscache import RedisCache


def test_every_call_gets_the_same_client_for_one_server():
    cache = RedisCache("redis://127.0.0.1:6379/0", {})  # no connection until a command runs
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client(None, write=True) is first


def test_replicas_each_keep_their_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/0,redis://127.0.0.1:6379/1", {})
    primary = cache._cache.get_client(write=True)
    replica = cache._cache.get_client()  # reads go to the other server
    assert replica is not primary
    assert cache._cache.get_client() is replica
    assert replica.connection_pool.connection_kwargs["db"] == 1
