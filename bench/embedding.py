"""Issue 42 #5 (first part): what the embedding model costs on this machine.

Throughput of 1,000 answers of about twenty words (the corpus generator's), each embedded on its
own as the app does, after a warm-up, in five rounds (median and range); and the peak RSS of a
fresh process that builds the app as a deployed worker does (requirements.txt only), loads the model and
embeds them, against the same process without the model.
Run: python -m bench.embedding   (needs `make model`)
"""
import json
import statistics
import subprocess
import sys
import time

from bench import corpus

ANSWERS = 1000
ROUNDS = 5
MODEL_DIR = "embedding-model"


def throughput():
    """Answers per second in each round."""
    from collector.meaning import embedder  # noqa: PLC0415 - only the measuring process loads the model
    model = embedder.Embedder(MODEL_DIR)
    essays = corpus.EssayGenerator()
    texts = [" ".join(essays.essay().split()[:20]) for _ in range(ANSWERS)]
    model.embed(texts[:100])
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        model.embed(texts)
        rates.append(ANSWERS / (time.perf_counter() - started))
    return rates


def peak_rss_mb(load_model):
    """Peak RSS (MB) of a child that imports the app and, if asked, loads the model and embeds 200 answers."""
    # VmHWM, not ru_maxrss: a child's ru_maxrss keeps the parent's high-water mark across fork and exec.
    # aiohttp comes with bench/requirements.txt (the load generator), never with requirements.txt: a deployed
    # worker has none, so opensearch-py's async client (about 7 MB) is not imported here either.
    code = "import sys\nsys.modules['aiohttp'] = None\nimport application\n" + (
        "from collector.meaning import embedder\nembedder.Embedder('embedding-model').embed(['an answer'] * 200)\n"
        if load_model else "") + "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(output.strip().splitlines()[-1]) / 1024


def main():
    """Print the figures as JSON."""
    rates = throughput()
    figures = {"answers_per_second_median": round(statistics.median(rates), 1),
               "answers_per_second_range": [round(min(rates), 1), round(max(rates), 1)],
               "peak_rss_mb_with_model": round(peak_rss_mb(True), 1),
               "peak_rss_mb_without": round(peak_rss_mb(False), 1)}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
