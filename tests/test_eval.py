"""samestory eval: the user's labels measure the stories (BCubed, pairwise) and the pair scores (Pearson)."""

import csv
import json

from samestory import cluster, load_settings
from samestory.clustering.training import bcubed
from samestory.cli import main
from samestory.evaluate import cluster_scores
from tests._data import demo_docs


def _dev_docs(topics=(2, 5)):
    return [d for d in demo_docs().values() if d["meta"]["split"] == "dev" and d["meta"]["topic"] in topics]


def test_pairwise_and_bcubed_by_hand():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    s = cluster_scores({"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}, {**gold, "f": "z"})
    assert (s.articles, s.missing, s.gold_stories, s.stories) == (4, 1, 2, 2)
    # pairs put together: ab ac bc (3), of which ab is right; gold pairs ab cd (2)
    assert s.pairwise[:2] == (1 / 3, 1 / 2)
    assert s.bcubed == bcubed({"a": 1, "b": 1, "c": 1, "d": 2}, gold)


def test_eval_of_a_cluster_output_gives_the_benchmark_bcubed(tmp_path, capsys):
    docs = _dev_docs()
    (tmp_path / "dev.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    with (tmp_path / "labels.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["article", "story"])
        w.writerows((d["id"], d["meta"]["subtopic"]) for d in docs)
    assert main(["-q", "cluster", str(tmp_path / "dev.jsonl"), "--out", str(tmp_path / "stories.jsonl")]) == 0
    capsys.readouterr()
    assert main(["eval", "--gold", str(tmp_path / "labels.csv"), "--stories", str(tmp_path / "stories.jsonl"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    # the benchmark's way: the library's stories of the same articles, BCubed against the sub-topics
    from samestory import analyse_all, article_from_dict, clean

    stories = cluster(list(analyse_all([a for d in docs for a in clean(article_from_dict(d))])), settings=load_settings())
    pred = {a: s.id for s in stories for a in s.articles}
    p, r, f = bcubed({i: pred[i] for i in pred if i in {d["id"] for d in docs}}, {d["id"]: d["meta"]["subtopic"] for d in docs})
    assert got["articles"] == len(docs) and got["missing"] == 0
    assert (got["bcubed"]["precision"], got["bcubed"]["recall"], got["bcubed"]["f1"]) == (p, r, f)
    assert main(["eval", "--gold", str(tmp_path / "stories.jsonl"), "--stories", str(tmp_path / "stories.jsonl")]) == 2


def test_eval_of_pair_scores_from_the_store(tmp_path, capsys):
    docs = _dev_docs((2,))
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    db = str(tmp_path / "s.db")
    assert main(["-q", "ingest", str(tmp_path / "d.jsonl"), "--db", db, "--no-stories"]) == 0
    ids = [d["id"] for d in docs][:4]
    with (tmp_path / "pairs.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["a", "b", "score"])
        w.writerows([(ids[0], ids[1], 1.0), (ids[0], ids[2], 2.0), (ids[1], ids[3], 3.5), (ids[2], "nope", 4.0)])
    assert main(["eval", "--gold", str(tmp_path / "pairs.csv"), "--db", db, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["pairs"], got["scored"], got["missing"]) == (4, 3, 1)
    assert got["pearson_overall"]["all"]["pairs"] == 3 and "en-en" in got["pearson_overall"]
