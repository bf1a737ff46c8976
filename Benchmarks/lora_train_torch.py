#!/usr/bin/env python3
"""The `lora-train benchmark` measurement with PyTorch + PEFT, for comparison.

Same batch, same step, same keys as `lora-train benchmark -o json`:

- the batch: `--sequences` rows of exactly `--length` ids, each id drawn as
  candidates[splitmix64() % len(candidates)] with seed 42, where the candidates are the line
  numbers of vocab.txt whose token is not written [LIKE_THIS]; attention mask all 1;
- the model: AutoModel from the model directory with hidden and attention dropout set to 0, wrapped
  by PEFT LoRA (r, alpha 2r, dropout 0, the given target modules), in train mode;
- a training step: zero the gradients, embed (mean pooling over the mask, L2-normalize), the
  MultipleNegativesRankingLoss (cross entropy of 20 * anchors @ positives.T against the diagonal;
  anchors are the first half of the batch), backward, clip the gradient norm to 1.0, AdamW
  (lr 1e-4, PyTorch's defaults otherwise);
- embedding: eval mode under torch.inference_mode(), adapter included;
- sgemm: torch.mm of float32 matrices of the same shapes as the Swift side, best of 10 after 2.

Prints one JSON object on stdout. Run with the venv that has torch, transformers and peft.
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

SEED = 42
MASK64 = (1 << 64) - 1


def splitmix64(state):
    """Returns (output, new state), as BenchmarkCommand.splitMix64."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31), state


def synthetic_ids(vocab_path, sequences, length):
    with open(vocab_path, encoding="utf-8") as file:
        lines = file.read().split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if lines and lines[-1] == "":
        lines.pop()
    candidates = [i for i, token in enumerate(lines) if not (token.startswith("[") and token.endswith("]"))]
    state = SEED
    rows = []
    for _ in range(sequences):
        row = []
        for _ in range(length):
            value, state = splitmix64(state)
            row.append(candidates[value % len(candidates)])
        rows.append(row)
    return rows


def percentile(values, p):
    """Nearest-rank percentile, as BenchmarkCommand.percentile."""
    ordered = sorted(values)
    rank = math.ceil(p * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def timed(warmup, runs, body):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return times


def sgemm_rate(torch, m, n, k):
    a = torch.rand(m, k, dtype=torch.float32)
    b = torch.rand(k, n, dtype=torch.float32)
    c = torch.empty(m, n, dtype=torch.float32)
    times = timed(2, 10, lambda: torch.mm(a, b, out=c))
    return 2.0 * m * n * k / min(times)


def peak_rss_bytes():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--sequences", type=int, default=8)
    parser.add_argument("--length", type=int, default=128)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--targets", default="query,value")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if args.sequences < 2 or args.sequences % 2:
        parser.error("--sequences must be an even number, at least 2")

    import torch
    import torch.nn.functional as F
    import transformers
    import peft
    from peft import LoraConfig, get_peft_model
    from transformers import AutoConfig, AutoModel

    startup_rss = peak_rss_bytes()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    transformers.logging.set_verbosity_error()

    config = AutoConfig.from_pretrained(args.model)
    config.hidden_dropout_prob = 0.0
    config.attention_probs_dropout_prob = 0.0
    base = AutoModel.from_pretrained(args.model, config=config)
    targets = [name.strip() for name in args.targets.split(",")]
    lora = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, target_modules=targets, bias="none")
    model = get_peft_model(base, lora)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-4)

    rows = synthetic_ids(os.path.join(args.model, "vocab.txt"), args.sequences, args.length)
    input_ids = torch.tensor(rows, dtype=torch.long)
    attention_mask = torch.ones_like(input_ids)
    pairs = args.sequences // 2
    labels = torch.arange(pairs)

    def embed():
        hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=1)

    losses = []

    def train_step():
        optimizer.zero_grad(set_to_none=False)
        embeddings = embed()
        loss = F.cross_entropy(20.0 * embeddings[:pairs] @ embeddings[pairs:].T, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        losses.append(loss.item())

    model.train()
    train_times = timed(args.warmup, args.steps, train_step)

    model.eval()

    def embed_pass():
        with torch.inference_mode():
            embed()

    embed_times = timed(args.warmup, args.steps, embed_pass)

    tokens = args.sequences * args.length
    square = sgemm_rate(torch, 1024, 1024, 1024)
    shaped = sgemm_rate(torch, tokens, config.intermediate_size, config.hidden_size)
    train_median = percentile(train_times, 0.5)
    embed_median = percentile(embed_times, 0.5)
    report = {
        "implementation": "pytorch",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
        "attention_implementation": getattr(base.config, "_attn_implementation", None),
        "model": args.model,
        "threads": args.threads,
        "sequences": args.sequences,
        "length": args.length,
        "rank": args.rank,
        "targets": targets,
        "steps": args.steps,
        "warmup": args.warmup,
        "tokens_per_step": tokens,
        "batch_id_sum": int(input_ids.sum()),
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "train_step_median_seconds": train_median,
        "train_step_p90_seconds": percentile(train_times, 0.9),
        "train_tokens_per_second": tokens / train_median,
        "embed_median_seconds": embed_median,
        "embed_p90_seconds": percentile(embed_times, 0.9),
        "embed_tokens_per_second": tokens / embed_median,
        "sgemm_square_gflop_per_second": square / 1e9,
        "sgemm_model_gflop_per_second": shaped / 1e9,
        "sgemm_model_shape": f"[{tokens}x{config.hidden_size}]·[{config.hidden_size}x{config.intermediate_size}]",
        "startup_rss_bytes": startup_rss,
        "peak_rss_bytes": peak_rss_bytes(),
    }
    print(json.dumps(report, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main()
