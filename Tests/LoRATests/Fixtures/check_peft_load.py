"""Checks that PEFT loads an adapter lora-train wrote and embeds as lora-train does.

Run from the repository root after training (needs the .venv-torch of make_model_reference.py):

    .build/debug/lora-train embed -o jsonl --model MODEL --adapter OUT "some text" "more text" > ours.jsonl
    .venv-torch/bin/python Tests/LoRATests/Fixtures/check_peft_load.py MODEL OUT ours.jsonl

Prints the largest absolute difference and exits 1 when it exceeds 1e-4.
"""
import json
import sys

import numpy as np
import torch
from peft import PeftModel
from transformers import AutoModel, BertTokenizer


def main(model_dir: str, adapter_dir: str, ours_path: str) -> int:
    lines = [json.loads(line) for line in open(ours_path) if line.strip()]
    texts = [line["text"] for line in lines]
    tokenizer = BertTokenizer(vocab=f"{model_dir}/vocab.txt", do_lower_case=True)
    model = PeftModel.from_pretrained(AutoModel.from_pretrained(model_dir), adapter_dir).eval()
    batch = tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    theirs = torch.nn.functional.normalize(pooled, dim=1).numpy()
    difference = float(np.abs(theirs - np.array([line["embedding"] for line in lines])).max())
    print(f"PEFT loaded {adapter_dir}; largest difference from lora-train embed: {difference:.2e}")
    return 0 if difference < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
