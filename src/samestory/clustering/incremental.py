"""StoryClusterer: place a stream of articles into stories as they arrive, and repair.

For each new article: its nearest placed articles by search vector (``search.search_vector``: the
document vector and the event keys) within ``cluster.window_days`` of its date: compared with each placed
article of the window where that holds at most ``_EXACT``, else searched in a vector index (hnswlib HNSW;
chosen by ``benchmarks/bench_index.py``, see the README), which holds them all; the
story linker scores the article against them; the article joins the story with the highest
mean probability over its scored members when that reaches ``cluster.link_probability``, and
otherwise opens a new story (new-story detection: ``Placement.new_story``).

``repair`` re-clusters a region (some stories and the stories next to them, or everything)
with the batch definition (``cluster``), so that merges and splits that arrival order hid are
made; a full repair gives exactly the batch stories, whatever the order of arrival. Story ids
are kept across repairs by overlap.

Only ids, dates, search vectors and assignments are held in memory; full analyses are
fetched when needed (from the store, or a dict), and the last ``_HELD`` used are kept until
``forget_analyses``. On a long stream the index lets go of the articles too old to be anyone's
candidate (``cluster.index_articles``): placing goes oldest first, so an article more than
``window_days`` older than the newest one placed can no longer be within the window of what comes
next; an article that arrives late brings the ones of its dates back.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..records import Analysis, Story
from ..settings import Settings, load_settings
from .batch import by_protagonist, groups_from_scored, newest_first
from .candidates import ROUND, candidate_arrays, candidate_pairs
from .linker import link_probabilities
from .search import search_vector, search_vectors
from .stories import make_story, order_key, story_id

__all__ = ["StoryClusterer", "StretchRepair", "Placement", "RepairReport"]

Fetch = Callable[[Sequence[str]], dict[str, Analysis]]
_MAX_REMEMBERED = 20_000_000  # scored pairs kept for the next repair (16 bytes each: 320 MB at most)
_CHUNK = 2048  # analyses a repair holds at once (about 100 MB), and pairs it scores at once
# analyses fetched from the store and kept, most recently used, until the caller says the store may change
# (``forget_analyses``): the candidates of one batch are mostly those of the last (the same window of days), and
# reading analyses again took an eighth of placing 10k articles. Their peak memory rose by ~30 MB.
_HELD = 1000
# placing compares each new article with every placed one of its window of days, exactly, while these are at most
# this many (a matrix product of ~2k x 4k at most: milliseconds); beyond, it searches the index (approximate, and
# slower where many near texts lie outside the window: it must look further)
_EXACT = 4096
_QUERIES = 512


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went: its story, whether it opened a new one, and anything to say about it."""

    article: str
    story: str
    new_story: bool
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RepairReport:
    """What a repair changed: stories merged away, stories split off, articles that moved."""

    examined: int
    merged: tuple[str, ...]
    created: tuple[str, ...]
    moved: int


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Scored pairs as one int64 each, from both sides' index keys (order-free). An updated text is placed under
    a new index key, so a pair scored with the old text is never mistaken for one with the new."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return (lo << 32) | hi


class StoryClusterer:
    """Incremental story clustering (see the module docstring).

    ``fetch(ids)`` returns analyses of placed articles (needed to verify candidates and to build
    story records); articles given to ``partial_fit`` are kept until the next ``stories`` call, and the last
    ``_HELD`` analyses used until ``forget_analyses``.
    """

    def __init__(self, *, settings: Settings | None = None, fetch: Fetch | None = None, ndim: int | None = None, linker=None) -> None:
        self.settings = settings or load_settings()
        self._fetch_store = fetch
        self._linker = linker
        self._ndim = ndim  # the index is made at the first vector added when not given (search vectors' length)
        self._index = self._new_index(ndim, 1024) if ndim else None
        self._key: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._time: list[float] = []
        self._hash: dict[str, str] = {}
        self._out = bytearray()  # per key: 1 when the index has let go of its vector (``_trim``)
        self._n_out = 0
        self._horizon = -math.inf  # every article the index let go of is older than this
        self._trim_at = 0  # trim again when the index holds more than this (and more than cluster.index_articles)
        self._newest = -math.inf  # the latest date placed (a timestamp)
        self.story_of: dict[str, str] = {}
        self.members: dict[str, set[str]] = defaultdict(set)
        self._recent: dict[str, Analysis] = {}
        self._recent_vectors: dict[str, np.ndarray] = {}  # their search vectors, made once while placing
        self._held: OrderedDict[str, Analysis] = OrderedDict()  # the last _HELD analyses used, least recent first
        # pairs scored since the last repair, which reuses them: (pair keys, probabilities) per batch, as arrays
        # (a dict keyed by string tuples took ~0.4 kB a pair: ~1 GB for a 100k stream's 2.4M pairs)
        self._scored: list[tuple[np.ndarray, np.ndarray]] = []
        self._n_scored = 0
        self.dirty: set[str] = set()  # stories changed since the caller last saved them
        # a person's corrections: article -> pin; articles of one pin stay in one story, of two pins in two (repair
        # respects them; placing a new article cannot break them, as it only joins one story)
        self.pins: dict[str, str] = {}
        self.aliases: dict[str, str] = {}  # stories merged away since the caller last saved -> where they went

    @staticmethod
    def _new_index(ndim: int, capacity: int):
        import hnswlib

        index = hnswlib.Index(space="cosine", dim=ndim)
        index.init_index(max_elements=capacity, ef_construction=200, M=16, allow_replace_deleted=True)
        index.set_num_threads(1)  # single-threaded inserts build the same graph every run
        return index

    # -- state ------------------------------------------------------------------------------
    def load(self, rows: Iterable[tuple[str, str, str, float | None, np.ndarray]]) -> None:
        """Restore placements: (article id, story id, content hash, timestamp or None, search vector), a chunk
        at a time, the index trimmed as it goes (placements come in the order they were made: oldest first)."""
        ids, vecs = [], []
        for article, story, digest, stamp, vec in rows:
            self._remember(article, story, digest, stamp)
            ids.append(self._key[article])
            vecs.append(np.asarray(vec, dtype=np.float32))
            if len(ids) == _CHUNK:
                self._add(np.array(ids), np.vstack(vecs))
                ids, vecs = [], []
                self._trim()
        if ids:
            self._add(np.array(ids), np.vstack(vecs))
        self._trim()

    def _add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        if self._index is None:
            self._ndim = vectors.shape[1]
            self._index = self._new_index(self._ndim, 1024)
        index = self._index
        need = index.get_current_count() + len(keys)
        if need > index.get_max_elements():
            index.resize_index(max(need, 2 * index.get_max_elements()))
        index.add_items(vectors.astype(np.float32), keys, replace_deleted=True)

    def _remember(self, article: str, story: str, digest: str, stamp: float | None) -> None:
        self._key[article] = len(self._ids)
        self._ids.append(article)
        self._time.append(math.nan if stamp is None else stamp)
        self._out.append(0)
        if stamp is not None and stamp > self._newest:
            self._newest = stamp
        self._hash[article] = digest
        self.story_of[article] = story
        self.members[story].add(article)

    def _forget(self, article: str) -> None:
        key = self._key.pop(article)
        if self._out[key]:
            self._out[key] = 0
            self._n_out -= 1
        else:
            self._index.mark_deleted(key)
        self._ids[key] = None
        story = self.story_of.pop(article)
        self.members[story].discard(article)
        if not self.members[story]:
            del self.members[story]
        self.dirty.add(story)
        del self._hash[article]
        self._held.pop(article, None)

    def __len__(self) -> int:
        return len(self.story_of)

    # -- the index's time range ---------------------------------------------------------------
    def _trim(self) -> None:
        """Once the index holds more than ``cluster.index_articles``, let go of the dated articles more than
        ``window_days`` (and a day) older than the newest placed: no article placed later (oldest first) can have
        them as candidates. Undated ones stay (they are near every date). The index is built anew from the
        articles it keeps (hnswlib's search, over a graph whose deleted places new articles have taken, can miss
        live ones), and trimmed again only once it has doubled."""
        cfg = self.settings.cluster
        live = len(self._key) - self._n_out
        if not cfg.index_articles or live <= max(cfg.index_articles, self._trim_at):
            return
        horizon = self._newest - (cfg.window_days + 1) * 86400.0
        old = np.asarray(self._time) < horizon
        held = ~self._let_go()
        keep = [k for k in np.flatnonzero(held & ~old).tolist() if self._ids[k] is not None]
        gone = [k for k in np.flatnonzero(held & old).tolist() if self._ids[k] is not None]
        index = self._new_index(self._ndim, max(1024, 2 * len(keep)))
        for start in range(0, len(keep), _CHUNK):  # a chunk at a time: the old and the new index are both held
            part = keep[start : start + _CHUNK]
            index.add_items(self._vectors(part), part)
        self._index = index
        for key in gone:
            self._out[key] = 1
        self._n_out += len(gone)
        self._horizon = max(self._horizon, horizon)
        self._trim_at = 2 * len(keep)

    def _let_go(self) -> np.ndarray:
        """Per key: whether the index has let go of its vector (a copy of the flags, so the bytearray can grow)."""
        return np.frombuffer(bytes(self._out), dtype=np.uint8) == 1

    def _restore(self, stamps: np.ndarray) -> None:
        """Put back into the index the articles it let go of that are within ``window_days`` of these dates (an
        article arriving after newer ones: its candidates must all be there)."""
        dated = stamps[~np.isnan(stamps)]
        reach = self.settings.cluster.window_days * 86400.0 + 1.0
        if not self._n_out or not len(dated) or dated.min() - reach >= self._horizon:
            return  # the usual case: placing goes oldest first
        t = np.asarray(self._time)
        back = [k for k in np.flatnonzero(self._let_go() & (t >= dated.min() - reach) & (t <= dated.max() + reach)).tolist()
                if self._ids[k] is not None]
        if back:
            self._add(np.array(back), self._vectors(back))
            for key in back:
                self._out[key] = 0
            self._n_out -= len(back)

    def fetch(self, ids: Sequence[str]) -> dict[str, Analysis]:
        out = {i: self._recent[i] for i in ids if i in self._recent}
        for i in ids:
            if i not in out and i in self._held:
                out[i] = self._held[i]
                self._held.move_to_end(i)
        rest = [i for i in ids if i not in out]
        if rest:
            if self._fetch_store is None:
                raise KeyError(f"no analyses for {len(rest)} placed articles (no fetch function given)")
            got = self._fetch_store(rest)
            out.update(got)
            self._hold(got.values())
        return out

    def _hold(self, analyses: Iterable[Analysis]) -> None:
        for an in analyses:
            self._held[an.id] = an
            self._held.move_to_end(an.id)
        while len(self._held) > _HELD:
            self._held.popitem(last=False)

    def forget_analyses(self) -> None:
        """Forget every analysis held (the store may change now: another writer may update or delete articles)."""
        self.release()
        self._held.clear()

    # -- placing ----------------------------------------------------------------------------
    def _neighbours(self, vectors: np.ndarray, stamps: np.ndarray) -> list[list[tuple[str, float]]]:
        """For each vector, placed articles within the window and above min_cosine, best first (at most ``neighbours``).
        The vectors are taken ``_QUERIES`` at a time in date order; each such part is compared with every article of
        its window of days where that holds at most ``_EXACT`` of them, else searched in the index."""
        cfg = self.settings.cluster
        out: list[list[tuple[str, float]]] = [[] for _ in range(len(vectors))]
        if len(self._key) == self._n_out or cfg.neighbours < 1:  # nothing indexed, or no candidates wanted
            return out
        window = cfg.window_days * 86400.0
        times = np.asarray(self._time, dtype=np.float64)
        alive = np.fromiter((i is not None for i in self._ids), dtype=bool, count=len(self._ids))
        indexed = alive & ~self._let_go()
        order = np.argsort(stamps, kind="stable")  # undated last
        for start in range(0, len(order), _QUERIES):
            part = order[start : start + _QUERIES]
            near = indexed
            if not np.isnan(stamps[part]).any():  # an undated article is near every date: its window is everything
                lo, hi = stamps[part].min() - window, stamps[part].max() + window
                near = indexed & (np.isnan(times) | ((times >= lo) & (times <= hi)))
            if np.count_nonzero(near) <= _EXACT:
                found = self._nearest_of(np.flatnonzero(near), vectors[part], stamps[part], times, window)
            else:
                found = self._searched(vectors[part], stamps[part], times, alive, window)
            for r, cands in zip(part.tolist(), found):
                out[r] = cands
        return out

    def _searched(self, vectors: np.ndarray, stamps: np.ndarray, times: np.ndarray, alive: np.ndarray,
                  window: float) -> list[list[tuple[str, float]]]:
        """``_neighbours`` by searching the index (approximate nearest neighbours), further while too few are in the window."""
        cfg = self.settings.cluster
        out: list[list[tuple[str, float]]] = [[] for _ in range(len(vectors))]
        held = len(self._key) - self._n_out
        count = min(held, cfg.neighbours * 4)
        todo = list(range(len(vectors)))
        while todo:
            self._index.set_ef(max(64, 2 * count))
            keys, dists = self._index.knn_query(vectors[todo].astype(np.float32), k=count)
            keys = keys.astype(np.int64)
            sims = np.round(1.0 - dists.astype(np.float64), ROUND)
            known = keys < len(self._ids)
            safe = np.where(known, keys, 0)
            far = np.abs(times[safe] - stamps[todo][:, None]) > window  # NaN (undated): near every date
            ok = known & alive[safe] & (sims >= cfg.min_cosine) & ~far
            short = []
            for n, r in enumerate(todo):
                cands = sorted(((self._ids[k], float(v)) for k, v in zip(keys[n][ok[n]].tolist(), sims[n][ok[n]].tolist())),
                               key=lambda c: (-c[1], c[0]))
                out[r] = cands[: cfg.neighbours]
                # articles outside the window took places among the nearest: look further, while nearer ones remain
                if len(cands) < cfg.neighbours and count < held and sims[n, -1] >= cfg.min_cosine:
                    short.append(r)
            todo, count = short, min(held, 4 * count)
        return out

    def _nearest_of(self, keys: np.ndarray, vectors: np.ndarray, stamps: np.ndarray, times: np.ndarray,
                    window: float) -> list[list[tuple[str, float]]]:
        """``_neighbours`` by comparing each vector with each of these keys' (the index's cosine, exactly)."""
        cfg = self.settings.cluster
        if not len(keys):
            return [[] for _ in range(len(vectors))]
        held = self._index.get_items(keys.tolist(), return_type="numpy")  # unit length, as the index keeps them
        queries = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-30)
        dists = np.float32(1.0) - queries.astype(np.float32) @ held.T  # as the index computes its distance
        sims = np.round(1.0 - dists.astype(np.float64), ROUND)
        far = np.abs(times[keys][None, :] - stamps[:, None]) > window  # NaN (undated): near every date
        ok = (sims >= cfg.min_cosine) & ~far
        sims[~ok] = -np.inf
        take = min(cfg.neighbours, len(keys))
        # each row's `take` best cosines: the candidates are those at least as near (ties all in, ordered by id)
        least = -np.partition(-sims, take - 1, axis=1)[:, take - 1]
        out = []
        for n in range(len(vectors)):
            found = np.flatnonzero(sims[n] >= max(least[n], cfg.min_cosine))
            cands = sorted(((self._ids[k], float(v)) for k, v in zip(keys[found].tolist(), sims[n, found].tolist())),
                           key=lambda c: (-c[1], c[0]))
            out.append(cands[: cfg.neighbours])
        return out

    def partial_fit(self, analyses: Sequence[Analysis]) -> list[Placement]:
        """Place a batch of analysed articles, in the order given; returns one Placement per article
        that was new or changed (an unchanged article already placed is left where it is)."""
        cfg = self.settings.cluster
        batch: list[Analysis] = []
        notes: dict[str, str] = {}
        for an in {a.id: a for a in analyses}.values():
            digest = an.article.content_hash
            if self._hash.get(an.id) == digest:
                continue
            if an.id in self._hash:
                self._forget(an.id)
                notes[an.id] = "updated: a new text for this id, analysed and placed again"
            batch.append(an)
        if not batch:
            return []
        vecs = search_vectors(batch)
        stamps = np.array([a.article.published.timestamp() if a.article.published else math.nan for a in batch])
        self._restore(stamps)
        placed_near = self._neighbours(vecs, stamps)
        # neighbours inside the batch (earlier arrivals only), by the same rule
        inside = candidate_pairs(vecs, [a.article.published for a in batch], neighbours=cfg.neighbours,
                                 min_cosine=cfg.min_cosine, window_days=cfg.window_days)
        earlier: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (i, j), sim in inside.items():
            earlier[j].append((i, sim))  # i < j: i arrived first
        pairs: list[tuple[Analysis, str]] = []
        for r, an in enumerate(batch):
            pairs.extend((an, other) for other, _ in placed_near[r])
            pairs.extend((an, batch[i].id) for i, _ in earlier[r])
        local = {a.id: a for a in batch}
        need = sorted({o for _, o in pairs if o not in local})
        known = {**self.fetch(need), **local}
        probs = link_probabilities([(an, known[o]) for an, o in pairs], linker=self._linker) if pairs else []
        by_article: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for (an, other), p in zip(pairs, probs):
            by_article[an.id].append((other, float(p)))
        placements = []
        for r, an in enumerate(batch):
            per_story: dict[str, list[float]] = defaultdict(list)
            for other, p in by_article[an.id]:
                if other in self.story_of:
                    per_story[self.story_of[other]].append(p)
            best = max(per_story.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), kv[0]), default=None)
            note = notes.get(an.id)
            if an.article.published is None:
                note = (note + "; " if note else "") + "undated: placed by arrival, near stories of any date"
            if best is not None and sum(best[1]) / len(best[1]) >= cfg.link_probability:
                sid, new = best[0], False
            else:
                sid, new = story_id(an.id), True
                while sid in self.members:  # an id reused by an earlier, since-updated founder
                    sid = story_id(sid + an.id)
            stamp = an.article.published.timestamp() if an.article.published else None
            self._remember(an.id, sid, an.article.content_hash, stamp)
            self._add(np.array([self._key[an.id]]), vecs[r : r + 1])
            self._recent[an.id] = an
            self._recent_vectors[an.id] = vecs[r]
            self.dirty.add(sid)
            placements.append(Placement(an.id, sid, new, note))
        if pairs and self._n_scored + len(pairs) <= _MAX_REMEMBERED:  # every side placed now, so every key known
            keys = _pair_keys(np.array([self._key[an.id] for an, _ in pairs]), np.array([self._key[o] for _, o in pairs]))
            self._scored.append((keys, np.asarray(probs, dtype=np.float64)))  # as scored: repair = batch
            self._n_scored += len(pairs)
        self._trim()
        return placements

    def _take_scored(self) -> tuple[np.ndarray, np.ndarray]:
        """The pairs scored since the last repair (sorted keys, probabilities), forgotten here."""
        if not self._scored:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        keys = np.concatenate([k for k, _ in self._scored])
        vals = np.concatenate([v for _, v in self._scored])
        self._scored, self._n_scored = [], 0
        order = np.argsort(keys, kind="stable")
        return keys[order], vals[order]

    # -- repair -----------------------------------------------------------------------------
    def _vectors(self, keys: Sequence[int]) -> np.ndarray:
        """The search vectors of these keys (float32): the index's, fetched ``_CHUNK`` at a time (hnswlib's
        ``get_items`` holds every float as a Python object on the way, about 16 bytes a float: 1.6 GB for 100k
        articles at once), and for those the index has let go of, their analyses'."""
        out = np.empty((len(keys), self._ndim or 0), dtype=np.float32)
        rows = [r for r, k in enumerate(keys) if not self._out[k]]
        for start in range(0, len(rows), _CHUNK):
            part = rows[start : start + _CHUNK]
            out[part] = self._index.get_items([keys[r] for r in part])
        gone = [r for r, k in enumerate(keys) if self._out[k]]
        for start in range(0, len(gone), _CHUNK):
            part = gone[start : start + _CHUNK]
            got = self.fetch([self._ids[keys[r]] for r in part])
            for r in part:
                out[r] = search_vector(got[self._ids[keys[r]]])
        return out

    def repair(self, stories: Iterable[str] | None = None) -> RepairReport:
        """Re-cluster ``stories`` and their neighbouring stories (default: everything) with the batch rule.

        Pairs scored by ``partial_fit`` since the last repair are not scored again."""
        if stories is None:
            region = set(self.story_of)
        else:
            region = {a for s in stories for a in self.members.get(s, ())}
            if region:
                ids = sorted(region)
                vecs = self._vectors([self._key[i] for i in ids])
                stamps = np.array([self._time[self._key[i]] for i in ids])
                for near in self._neighbours(vecs, stamps):
                    for other, _ in near:
                        region |= self.members[self.story_of[other]]
        if not region:
            return RepairReport(0, (), (), 0)
        # the region's articles, in id order, by id / vector / date only: full analyses are fetched a chunk at a
        # time, and again only for the pairs that placement has not scored; vectors, pairs and probabilities are
        # held as arrays (a dict of tuples takes ~200 bytes a pair, and a large repair has millions)
        ids: list[str] = []
        published = []
        ordered = sorted(region)
        docs: np.ndarray | None = None
        for start in range(0, len(ordered), _CHUNK):
            for an in sorted(self.fetch(ordered[start : start + _CHUNK]).values(), key=lambda a: a.id):
                vec = search_vector(an)
                if docs is None:
                    docs = np.zeros((len(ordered), len(vec)), dtype=np.float32)
                docs[len(ids)] = vec
                ids.append(an.id)
                published.append(an.article.published)
        if docs is None:
            return RepairReport(0, (), (), 0)
        cfg = self.settings.cluster
        left, right, _ = candidate_arrays(docs[: len(ids)], published, neighbours=cfg.neighbours,
                                          min_cosine=cfg.min_cosine, window_days=cfg.window_days)
        del docs
        probs = np.full(len(left), np.nan)
        known_keys, known_probs = self._take_scored()
        if len(left) and len(known_keys):
            index_key = np.array([self._key[i] for i in ids], dtype=np.int64)
            wanted = _pair_keys(index_key[left], index_key[right])
            at = np.minimum(np.searchsorted(known_keys, wanted), len(known_keys) - 1)
            hit = known_keys[at] == wanted
            probs[hit] = known_probs[at[hit]]
        del known_keys, known_probs
        todo = np.flatnonzero(np.isnan(probs))
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start : start + _CHUNK]
            got = self.fetch(sorted({ids[k] for k in (*left[chunk].tolist(), *right[chunk].tolist())}))
            probs[chunk] = link_probabilities([(got[ids[i]], got[ids[j]]) for i, j in zip(left[chunk].tolist(), right[chunk].tolist())],
                                              linker=self._linker)
        groups = groups_from_scored(len(ids), left, right, probs, self.settings)
        del left, right, probs

        def analyses_of(group: list[int]) -> list[Analysis]:
            got = self.fetch([ids[i] for i in group])
            return [got[ids[i]] for i in group]

        groups = respect_pins(by_protagonist(groups, analyses_of, self.settings), [self.pins.get(i) for i in ids])
        old = {i: self.story_of[i] for i in ids}
        before = set(old.values())
        # keep ids by overlap: biggest overlaps first, each old id used once
        overlaps = []
        for g, members in enumerate(groups):
            counts: dict[str, int] = defaultdict(int)
            for i in members:
                counts[old[ids[i]]] += 1
            overlaps.extend((-n, sid, g) for sid, n in counts.items())
        given: dict[int, str] = {}
        used: set[str] = set()
        for _, sid, g in sorted(overlaps):
            if g not in given and sid not in used:
                given[g] = sid
                used.add(sid)
        moved, created = 0, []
        for g, members in enumerate(groups):
            arts = [ids[i] for i in members]
            sid = given.get(g)
            if sid is None:
                sid = story_id(ids[min(members, key=lambda i: order_key(published[i], ids[i]))])
                while sid in self.members or sid in used:  # e.g. the old id of a story this group left
                    sid = story_id(sid)
                used.add(sid)
                created.append(sid)
            for a in arts:
                if self.story_of[a] != sid:
                    moved += 1
                    self.dirty.add(self.story_of[a])
                    self.members[self.story_of[a]].discard(a)
                    self.story_of[a] = sid
                    self.members[sid].add(a)
                    self.dirty.add(sid)
        merged = tuple(sorted(s for s in before if not self.members.get(s)))
        for s in merged:
            self.members.pop(s, None)
            self.dirty.add(s)
        for article, was in sorted(old.items()):
            if was in merged and was not in self.aliases:
                self.aliases[was] = self.story_of[article]
        return RepairReport(len(ids), merged, tuple(sorted(created)), moved)

    # -- corrections --------------------------------------------------------------------------
    def move(self, articles: Iterable[str], to: str) -> None:
        """Put placed articles into story ``to`` (a new one when it has no members yet), as a person decided."""
        for a in articles:
            was = self.story_of[a]
            if was == to:
                continue
            self.members[was].discard(a)
            self.dirty.add(was)
            if not self.members[was]:
                del self.members[was]
                self.aliases.setdefault(was, to)
            self.story_of[a] = to
            self.members[to].add(a)
            self.dirty.add(to)

    # -- output -----------------------------------------------------------------------------
    def story(self, sid: str) -> Story | None:
        ids = sorted(self.members.get(sid, ()))
        if not ids:
            return None
        found = self.fetch(ids)
        return make_story([found[i] for i in ids], sid=sid)

    def stories(self, ids: Iterable[str] | None = None) -> list[Story]:
        """Story records (default: all), newest first; forgets the analyses it was holding."""
        out = [s for s in (self.story(sid) for sid in sorted(self.members if ids is None else set(ids))) if s is not None]
        self.release()
        return newest_first(out)

    def placed_vector(self, article: str) -> np.ndarray:
        """The search vector of an article placed since the last ``release`` (as the caller saves it)."""
        return self._recent_vectors[article]

    def release(self) -> None:
        """Let go of the articles placed since the last call: their analyses join those held (``fetch`` gets
        them from the store once no longer held), their search vectors are forgotten."""
        self._hold(self._recent.values())
        self._recent.clear()
        self._recent_vectors.clear()


class StretchRepair:
    """Repairs the stories a run of ``partial_fit`` calls touched (and their neighbours): after each ``every``
    placed articles (0: only at ``flush``), so that what one repair holds stays bounded on a long stream
    (``cluster.repair_every``), and at ``flush`` when the run ends."""

    def __init__(self, clusterer: StoryClusterer, every: int = 0, touched: Iterable[str] = ()) -> None:
        self.clusterer = clusterer
        self.every = every
        self._touched: set[str] = set(touched)  # also what an interrupted run left unrepaired
        self._since = 0

    @property
    def touched(self) -> frozenset[str]:
        """The stories touched since the last repair (saved with each batch, so a killed run's repair is redone)."""
        return frozenset(self._touched)

    def placed(self, placements: Sequence[Placement]) -> RepairReport | None:
        """Note a batch's placements; the repair's report when this batch completes a stretch."""
        self._touched |= {p.story for p in placements}
        self._since += len(placements)
        return self.flush() if self.every and self._since >= self.every else None

    def flush(self) -> RepairReport | None:
        """Repair what was touched since the last repair (None: nothing was)."""
        if not self._touched:
            return None
        report = self.clusterer.repair(sorted(self._touched & set(self.clusterer.members)))
        self._touched, self._since = set(), 0
        return report


def respect_pins(groups: list[list[int]], pins: Sequence[str | None]) -> list[list[int]]:
    """Groups (of indices) made to obey a person's corrections: ``pins[i]`` is item i's pin (None: unpinned). A group
    holding two pins is split by pin (its unpinned items go with the pin most of its items have; ties: the smaller
    pin); then each pin's items join the group holding most of them. Without pins the groups are returned as they are."""
    if not any(pins):
        return groups
    split: list[list[int]] = []
    for g in groups:
        counts = Counter(pins[i] for i in g if pins[i])
        if len(counts) <= 1:
            split.append(list(g))
            continue
        main = min(counts, key=lambda pin: (-counts[pin], pin))
        parts: dict[str, list[int]] = defaultdict(list)
        for i in g:
            parts[pins[i] or main].append(i)
        split.extend(parts[pin] for pin in sorted(parts))
    where: dict[str, Counter] = defaultdict(Counter)
    for k, g in enumerate(split):
        for i in g:
            if pins[i]:
                where[pins[i]][k] += 1
    home = {pin: min(c, key=lambda k: (-c[k], k)) for pin, c in where.items()}
    joined: list[list[int]] = [[] for _ in split]
    for k, g in enumerate(split):
        for i in g:
            joined[home[pins[i]] if pins[i] else k].append(i)
    return [sorted(g) for g in joined if g]
