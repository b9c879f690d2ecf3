"""The store's job table: what the server's posts queue and its placer process places."""

from samestory.articles import make_article
from samestory.store import SQLiteStore
from samestory.store._jobs import MAX_JOBS


def _articles(n):
    return [make_article(id=f"a{k}", text=f"Story number {k} happened in Lyon on Monday. Police said more.") for k in range(n)]


def test_a_job_is_queued_taken_and_done_only_when_all_its_articles_are_placed(tmp_path):
    from samestory.pipeline import update_stories

    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(_articles(3))
        added = store.add_job("j1", ["a0", "a1", "a2"], [{"index": 3, "error": "SS120", "message": "empty"}])
        assert added == store.get_job("j1")  # what a post answers at once is what GET /jobs/{id} then gives
        assert store.add_job("j0", [], []) == store.get_job("j0")
        assert store.get_job("j0")["status"] == "done"  # nothing to place
        assert store.get_job("j1")["status"] == "queued" and store.waiting() == 3
        assert store.take_jobs() == ["j1"] and store.get_job("j1")["status"] == "placing" and store.take_jobs() == []
        update_stories(store, limit=2)  # a bounded run places two of the three
        assert store.finish_jobs(["j1"]) == [] and store.get_job("j1")["status"] == "queued"  # back in the queue
        store.take_jobs()
        update_stories(store)
        assert store.finish_jobs(["j1"]) == ["j1"]
        job = store.get_job("j1")
        assert job["status"] == "done" and job["placed_at"] and store.waiting() == 0
        assert all(a["story"] for a in job["articles"]) and job["skipped"][0]["error"] == "SS120"
        assert store.get_job("nope") is None


def test_a_failed_run_fails_its_jobs_and_a_stopped_placers_jobs_are_queued_again(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(_articles(2))
        store.add_job("j1", ["a0"], [])
        store.add_job("j2", ["a1"], [])
        store.take_jobs()
        store.finish_jobs(["j1"], "the models could not be loaded")
        assert store.get_job("j1")["status"] == "failed" and store.get_job("j1")["error"].startswith("the models")
        assert store.requeue_jobs() == 1 and store.get_job("j2")["status"] == "queued"


def test_the_placing_rate_weighs_articles_over_seconds_of_recent_runs(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store.placing_rate() is None
        store.record_placing_rate(0, 5.0)  # a run that placed nothing says nothing
        assert store.placing_rate() is None
        store.record_placing_rate(1, 2.0)  # one article, a run's fixed cost
        store.record_placing_rate(60, 6.0)
        # (0.9 * 1 + 60) / (0.9 * 2 + 6): the big run dominates, not the mean of the runs' rates (0.5 and 10)
        assert abs(store.placing_rate() - 60.9 / 7.8) < 1e-9


def test_old_jobs_are_forgotten(tmp_path, monkeypatch):
    import samestory.store._jobs as jobs

    monkeypatch.setattr(jobs, "MAX_JOBS", 3)
    with SQLiteStore(tmp_path / "s.db") as store:
        for k in range(5):
            store.add_job(f"j{k}", [], [])
        assert [store.get_job(f"j{k}") is not None for k in range(5)] == [False, False, True, True, True]
    assert MAX_JOBS >= 1000


def test_a_bounded_run_takes_the_articles_in_the_order_they_came(tmp_path):
    # the placer's runs are bounded: an article posted first is placed first, whatever its date, so that none
    # waits behind later posts of earlier dates (each run is placed in date order)
    from datetime import datetime, timezone

    from samestory.pipeline import update_stories

    with SQLiteStore(tmp_path / "s.db") as store:
        day = lambda d: datetime(2024, 3, d, tzinfo=timezone.utc)  # noqa: E731
        store.add_articles([make_article(id="late-date", text="A ferry caught fire off Crete on Friday.", published=day(20))])
        store.add_articles([make_article(id=f"e{k}", text=f"Item {k}: a bridge closed in Porto for repairs.", published=day(1 + k))
                            for k in range(3)])
        assert [a.id for batch in store.unplaced(limit=2) for a in batch] == ["e0", "late-date"]  # then by date
        assert [a.id for batch in store.unplaced() for a in batch] == ["e0", "e1", "e2", "late-date"]  # all: by date
        update_stories(store, limit=1)
        assert store.story_of("late-date") is not None and store.story_of("e0") is None
