#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures for the LoRA trainer's model tests (after llm.c's test_gpt2).

Everything is computed in float64 on the CPU with eager attention, in eval mode (no dropout), and
stored as float32 (int64 for token ids and masks):

  tiny-bert/                  a random 2-layer BERT (hidden 32, 4 heads, intermediate 64) saved by
                              BertModel.save_pretrained, with a ~130-entry WordPiece vocab.txt
  tiny-adapter/               a PEFT LoRA adapter for it (r 4, alpha 8, query/key/value/attention
                              output/intermediate/output), lora_B random so every gradient is non-zero
  tiny_reference.safetensors  input_ids, attention_mask, base_embeddings, lora_embeddings,
                              grad.<peft key> (before clipping), step1.<peft key>, step2.<peft key>
  tiny_reference.json         sentences, tokens, loss, grad_norm, optimizer settings, lr schedules
  minilm_reference.*          all-MiniLM-L6-v2 sentence embeddings (skipped if the model is missing)

Embeddings are sentence-transformers' mean pooling over attention_mask followed by L2 normalization;
the loss is MultipleNegativesRankingLoss: cross_entropy(20 * anchors @ positives.T, arange(6)).
One training step is clip_grad_norm_(max_norm=1) then AdamW(lr 0.01, betas (0.9, 0.999), eps 1e-8,
weight_decay 0.01); step2 repeats forward/backward/clip/step on the same batch.

Usage (from the repository root, after scripts/fetch-model.sh for the MiniLM part):
    python3 -m venv .venv-torch && .venv-torch/bin/pip install torch transformers peft
    .venv-torch/bin/python Tests/LoRATests/Fixtures/make_model_reference.py [--minilm DIR]
    .venv-torch/bin/python Tests/LoRATests/Fixtures/make_model_reference.py --gradcheck
        (also checks a few gradients against central finite differences; writes the same files)

Tested with torch 2.15.0, transformers 5.23.0, peft 0.21.2, safetensors 0.8.0, tokenizers 0.23.3,
numpy 2.4.6. The output is deterministic (fixed seeds, CPU, float64).
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import peft
import safetensors
import tokenizers
import torch
import torch.nn.functional as F
import transformers
from peft import LoraConfig, get_peft_model
from safetensors import safe_open
from safetensors.torch import save_file
from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import AutoModel, BertConfig, BertModel, BertTokenizerFast, get_scheduler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TINY_BERT = os.path.join(HERE, "tiny-bert")
TINY_ADAPTER = os.path.join(HERE, "tiny-adapter")

TINY_CONFIG = dict(
    vocab_size=None,  # len(VOCAB)
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=64,
    max_position_embeddings=64,
    type_vocab_size=2,
    layer_norm_eps=1e-12,
    hidden_act="gelu",
    hidden_dropout_prob=0.1,
    attention_probs_dropout_prob=0.1,
    pad_token_id=0,
    position_embedding_type="absolute",
)

WORDS = [
    "the", "cat", "sat", "on", "mat", "is", "sitting", "runs", "fast", "animal", "running", "hello",
    "hi", "there", "how", "do", "reset", "my", "password", "forgot", "can", "change", "it", "weather",
    "today", "sunny", "and", "warm", "with", "light", "from", "sea", "day", "salt", "pepper", "black",
    "each", "to", "coffee", "cup",
]
# "a" and "i" are both letters and words; they appear once, as letters.
VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + list(".,!?'-:;()\"/")
    + list("0123456789")
    + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    + ["##ing", "##ed", "##ly", "##es"]
    + WORDS
)

# (anchor, positive) pairs. Words outside the vocab become subwords ("zebra", "breeze", "seasoning")
# or [UNK] ("&" has no vocab entry, "42" has no "##2").
PAIRS = [
    ("Hello", "hi there, how are you?"),
    ("The cat sat on the mat.", "a cat is sitting on a mat"),
    ("A zebra runs fast!", "the striped animal is running quickly"),
    ("How do I reset my password?", "I forgot my password; how can I change it?"),
    (
        "The weather today is sunny and warm, with a light breeze from the sea.",
        "it is a warm sunny day",
    ),
    ("salt & pepper", "seasoning: salt, black pepper (42 pinches)."),
]

LORA = dict(
    r=4,
    lora_alpha=8,
    lora_dropout=0.0,
    target_modules=["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"],
    bias="none",
)
SCALE = 20.0
MAX_LENGTH = 32
OPTIMIZER = dict(lr=0.01, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.01, max_grad_norm=1.0)
SCHEDULES = dict(names=["constant", "constant_with_warmup", "linear", "cosine"], lr=1e-3,
                 num_warmup_steps=3, num_training_steps=10)

MINILM_SENTENCES = [
    "Hello, world!",
    "A café on the corner serves espresso.",
    "Where's the nearest train station?",
    "The quick brown fox jumps over the lazy dog.",
    "Continuous integration runs the full test suite on every pull request, and a failed "
    "build blocks the merge until someone fixes the broken tests or reverts the change.",
]


def versions():
    return {
        "torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
        "safetensors": safetensors.__version__, "tokenizers": tokenizers.__version__, "numpy": np.__version__,
    }


def f32(t):
    return t.detach().to(torch.float32).contiguous().cpu()


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(obj, out, indent=2, sort_keys=True, ensure_ascii=True)
        out.write("\n")


def mean_pool_normalize(last_hidden_state, attention_mask):
    """sentence-transformers Pooling(mean) + Normalize."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    counts = torch.clamp(mask.sum(dim=1), min=1e-9)
    return F.normalize(summed / counts, p=2, dim=1)


def embed(model, batch):
    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                token_type_ids=batch["token_type_ids"])
    return mean_pool_normalize(out.last_hidden_state, batch["attention_mask"])


def mnrl_loss(embeddings, pairs):
    anchors, positives = embeddings[:pairs], embeddings[pairs:]
    scores = SCALE * anchors @ positives.T
    return F.cross_entropy(scores, torch.arange(pairs))


def tokenize(tokenizer, texts, max_length):
    batch = tokenizer(texts, max_length=max_length, truncation=True, padding="longest",
                      return_tensors="pt", return_token_type_ids=True)
    assert int(batch["token_type_ids"].abs().sum()) == 0
    return {k: batch[k].to(torch.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}


def load_tokenizer(vocab_path, tokenizer_json=None):
    """BertTokenizerFast for vocab_path, checked against tokenizers' BertWordPieceTokenizer.

    transformers 5 takes the vocab as `vocab=`; `vocab_file=` is silently ignored there and leaves
    a tokenizer that knows only the five special tokens and maps every word to [UNK].
    """
    tokenizer = BertTokenizerFast(vocab=vocab_path, do_lower_case=True)
    with open(vocab_path, encoding="utf-8") as f:
        size = sum(1 for _ in f)
    assert len(tokenizer.get_vocab()) == size, (len(tokenizer.get_vocab()), size)
    checkers = [BertWordPieceTokenizer(vocab_path, lowercase=True, strip_accents=None)]
    if tokenizer_json and os.path.isfile(tokenizer_json):
        checkers.append(Tokenizer.from_file(tokenizer_json))
        checkers[-1].no_padding()
        checkers[-1].no_truncation()

    def check(texts):
        for text in texts:
            ids = tokenizer(text)["input_ids"]
            for checker in checkers:
                assert checker.encode(text).ids == ids, text
    return tokenizer, check


def make_tiny_bert():
    if os.path.isdir(TINY_BERT):
        shutil.rmtree(TINY_BERT)
    os.makedirs(TINY_BERT)
    assert len(set(VOCAB)) == len(VOCAB), "duplicate vocab entries"
    with open(os.path.join(TINY_BERT, "vocab.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(VOCAB) + "\n")

    config = BertConfig(**{**TINY_CONFIG, "vocab_size": len(VOCAB)})
    torch.manual_seed(0)
    model = BertModel(config)  # includes the pooler, like all-MiniLM-L6-v2's checkpoint
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
    model.save_pretrained(TINY_BERT, safe_serialization=True)
    for name in os.listdir(TINY_BERT):
        assert name in ("config.json", "model.safetensors", "vocab.txt"), name
    with safe_open(os.path.join(TINY_BERT, "model.safetensors"), "pt") as f:
        keys = list(f.keys())
        assert all(not k.startswith("bert.") for k in keys), keys
        assert "encoder.layer.0.attention.self.query.weight" in keys
        assert all(f.get_slice(k).get_dtype() == "F32" for k in keys)
    return model


def lora_parameters(peft_model):
    """{peft key as saved in adapter_model.safetensors: parameter}, in named_parameters order."""
    params = {}
    for name, p in peft_model.named_parameters():
        if "lora_" in name:
            assert ".default." in name and p.requires_grad, name
            params[name.replace(".default.", ".")] = p
        else:
            assert not p.requires_grad, name
    return params


def clip_and_step(params, optimizer):
    norm = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm=OPTIMIZER["max_grad_norm"])
    optimizer.step()
    return float(norm)


def gradcheck(peft_model, batch, params, pairs, picks):
    """Compares backward() gradients with central differences for a few elements (float64)."""
    peft_model.zero_grad()
    loss = mnrl_loss(embed(peft_model, batch), pairs)
    loss.backward()
    h = 1e-6
    worst = 0.0
    for key, index in picks:
        p = params[key]
        analytic = float(p.grad[index])
        with torch.no_grad():
            original = float(p[index])
            p[index] = original + h
            plus = float(mnrl_loss(embed(peft_model, batch), pairs))
            p[index] = original - h
            minus = float(mnrl_loss(embed(peft_model, batch), pairs))
            p[index] = original
        numeric = (plus - minus) / (2 * h)
        rel = abs(analytic - numeric) / max(abs(numeric), 1e-12)
        worst = max(worst, rel)
        print(f"gradcheck {key}{list(index)}: backward {analytic:.10e} finite-difference {numeric:.10e} rel {rel:.1e}")
    peft_model.zero_grad()
    assert worst < 1e-6, worst
    return worst


def make_tiny(args):
    model = make_tiny_bert()
    tokenizer, check = load_tokenizer(os.path.join(TINY_BERT, "vocab.txt"))
    anchors = [a for a, _ in PAIRS]
    positives = [p for _, p in PAIRS]
    texts = anchors + positives
    check(texts)
    batch = tokenize(tokenizer, texts, MAX_LENGTH)
    pairs = len(PAIRS)

    model = model.double().eval()
    model.set_attn_implementation("eager")
    with torch.no_grad():
        base = embed(model, batch)
        # The default (sdpa) attention must agree; padded keys get finfo.min added to their scores.
        model.set_attn_implementation("sdpa")
        sdpa_diff = float((embed(model, batch) - base).abs().max())
        model.set_attn_implementation("eager")
    assert sdpa_diff < 1e-12, sdpa_diff

    # LoRA on the float32 model so the saved adapter is exactly what the float64 run starts from.
    model = model.float()
    torch.manual_seed(1)
    peft_model = get_peft_model(model, LoraConfig(**LORA))
    params = lora_parameters(peft_model)
    torch.manual_seed(2)
    with torch.no_grad():
        for key, p in params.items():
            if ".lora_B." in key:
                p.copy_(0.1 * torch.randn_like(p))
    matched = sorted({k.split(".lora_")[0][len("base_model.model."):] for k in params})

    if os.path.isdir(TINY_ADAPTER):
        shutil.rmtree(TINY_ADAPTER)
    peft_model.save_pretrained(TINY_ADAPTER)
    os.remove(os.path.join(TINY_ADAPTER, "README.md"))  # PEFT's empty model card
    config_path = os.path.join(TINY_ADAPTER, "adapter_config.json")
    with open(config_path, encoding="utf-8") as f:
        adapter_config = json.load(f)
    # target_modules is a Python set in PEFT, so its saved order varies from run to run.
    adapter_config["target_modules"] = sorted(adapter_config["target_modules"])
    write_json(config_path, adapter_config)
    with safe_open(os.path.join(TINY_ADAPTER, "adapter_model.safetensors"), "pt") as f:
        saved = sorted(f.keys())
        assert saved == sorted(params), (saved, sorted(params))
        for k in saved:
            assert f.get_slice(k).get_dtype() == "F32"
            assert torch.equal(f.get_tensor(k), params[k].detach())

    peft_model = peft_model.double().eval()
    tensors = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"],
               "base_embeddings": f32(base)}
    with torch.no_grad():
        with peft_model.disable_adapter():
            assert float((embed(peft_model, batch) - base).abs().max()) < 1e-12

    if args.gradcheck:
        picks = [
            ("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight", (1, 5)),
            ("base_model.model.encoder.layer.1.output.dense.lora_B.weight", (7, 2)),
            ("base_model.model.encoder.layer.0.intermediate.dense.lora_A.weight", (3, 30)),
        ]
        gradcheck(peft_model, batch, params, pairs, picks)

    optimizer = torch.optim.AdamW(list(params.values()), lr=OPTIMIZER["lr"], betas=tuple(OPTIMIZER["betas"]),
                                  eps=OPTIMIZER["eps"], weight_decay=OPTIMIZER["weight_decay"])
    results = {}
    for step in (1, 2):
        optimizer.zero_grad()
        embeddings = embed(peft_model, batch)
        loss = mnrl_loss(embeddings, pairs)
        loss.backward()
        if step == 1:
            tensors["lora_embeddings"] = f32(embeddings)
            for key, p in params.items():
                tensors["grad." + key] = f32(p.grad)
        results[f"loss_step{step}"] = loss.item()
        results[f"grad_norm_step{step}"] = clip_and_step(params, optimizer)
        for key, p in params.items():
            tensors[f"step{step}.{key}"] = f32(p)
    with torch.no_grad():
        results["loss_after_step2"] = float(mnrl_loss(embed(peft_model, batch), pairs))

    save_file(tensors, os.path.join(HERE, "tiny_reference.safetensors"), metadata={"format": "pt"})

    schedules = {}
    for name in SCHEDULES["names"]:
        dummy = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([dummy], lr=SCHEDULES["lr"])
        scheduler = get_scheduler(name, opt, num_warmup_steps=SCHEDULES["num_warmup_steps"],
                                  num_training_steps=SCHEDULES["num_training_steps"])
        lrs = []
        for _ in range(SCHEDULES["num_training_steps"] + 1):
            lrs.append(scheduler.get_last_lr()[0])
            opt.step()
            scheduler.step()
        schedules[name] = lrs

    tokens = [tokenizer.convert_ids_to_tokens(ids[mask.bool()].tolist())
              for ids, mask in zip(batch["input_ids"], batch["attention_mask"])]
    reference = {
        "versions": versions(),
        "model_config": {k: v for k, v in {**TINY_CONFIG, "vocab_size": len(VOCAB)}.items()},
        "anchors": anchors,
        "positives": positives,
        "texts": texts,
        "tokens": tokens,
        "lengths": batch["attention_mask"].sum(dim=1).tolist(),
        "max_length": MAX_LENGTH,
        "lora": {**LORA, "scaling": LORA["lora_alpha"] / LORA["r"], "matched_modules": matched,
                 "init": "lora_A: PEFT kaiming_uniform(a=sqrt(5)) after torch.manual_seed(1); "
                         "lora_B: normal(0, 0.1) after torch.manual_seed(2)"},
        "loss_function": {"name": "MultipleNegativesRankingLoss", "scale": SCALE,
                          "similarity": "cosine (dot product of L2-normalized mean-pooled embeddings)",
                          "labels": "arange(pairs); rows are anchors, columns positives"},
        "loss": results["loss_step1"],
        "grad_norm": results["grad_norm_step1"],
        **results,
        "optimizer": {"name": "AdamW", **OPTIMIZER,
                      "order": "clip_grad_norm_ (L2 over all lora params) then AdamW.step; "
                               "grad.* tensors are before clipping"},
        "schedules": {**SCHEDULES, "lrs": schedules,
                      "note": "lrs[name][i] = scheduler.get_last_lr()[0] before step i, i = 0...num_training_steps"},
        "sdpa_vs_eager_max_abs_diff": sdpa_diff,
    }
    write_json(os.path.join(HERE, "tiny_reference.json"), reference)
    print(f"tiny: T={batch['input_ids'].shape[1]} loss={results['loss_step1']:.6f} "
          f"grad_norm={results['grad_norm_step1']:.6f} loss2={results['loss_step2']:.6f}")


def make_minilm(model_dir):
    if not os.path.isfile(os.path.join(model_dir, "model.safetensors")):
        print(f"skipping the MiniLM reference: no model at {model_dir} (run scripts/fetch-model.sh)")
        return
    tokenizer, check = load_tokenizer(os.path.join(model_dir, "vocab.txt"), os.path.join(model_dir, "tokenizer.json"))
    check(MINILM_SENTENCES)
    batch = tokenize(tokenizer, MINILM_SENTENCES, 128)
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").double().eval()
    with torch.no_grad():
        embeddings = embed(model, batch)
    save_file({"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"],
               "embeddings": f32(embeddings)},
              os.path.join(HERE, "minilm_reference.safetensors"), metadata={"format": "pt"})
    tokens = [tokenizer.convert_ids_to_tokens(ids[mask.bool()].tolist())
              for ids, mask in zip(batch["input_ids"], batch["attention_mask"])]
    write_json(os.path.join(HERE, "minilm_reference.json"), {
        "versions": versions(), "sentences": MINILM_SENTENCES, "tokens": tokens,
        "lengths": batch["attention_mask"].sum(dim=1).tolist(), "max_length": 128,
        "pooling": "mean over attention_mask, then L2 normalize",
    })
    print(f"minilm: T={batch['input_ids'].shape[1]} embeddings {tuple(embeddings.shape)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minilm", default=os.path.join(ROOT, "models", "all-MiniLM-L6-v2"),
                        help="all-MiniLM-L6-v2 directory (default: models/all-MiniLM-L6-v2)")
    parser.add_argument("--gradcheck", action="store_true", help="check gradients by finite differences")
    args = parser.parse_args()
    transformers.utils.logging.disable_progress_bar()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    make_tiny(args)
    make_minilm(os.path.abspath(args.minilm))


if __name__ == "__main__":
    main()
