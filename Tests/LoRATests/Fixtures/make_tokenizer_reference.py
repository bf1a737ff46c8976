#!/usr/bin/env python3
"""Writes tokenizer_reference.json: token ids that Hugging Face's Rust-backed `tokenizers`
produces for all-MiniLM-L6-v2's vocabulary (BERT uncased), for WordPieceTokenizerTests.swift.

Usage (from the repository root, after scripts/fetch-model.sh):
    pip install tokenizers
    python3 Tests/LoRATests/Fixtures/make_tokenizer_reference.py

vocab.txt beside this script is a copy of models/all-MiniLM-L6-v2/vocab.txt. When the model's
tokenizer.json is present, the ids are also checked against it (same normalizer settings).
"""
import json
import os
import sys

from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VOCAB = os.path.join(HERE, "vocab.txt")
TOKENIZER_JSON = os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json")

CORPUS = [
    # Plain English and mixed case.
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "A rollout shifts traffic from the stable track to the canary in steps.",
    "HeLLo WoRLD, this Is MiXeD CaSe",
    "UPPERCASE SENTENCES ARE LOWERCASED FIRST",
    "tokenization of unbelievably uncharacteristic words",
    # Punctuation runs and symbols.
    "Wait... what?!?! (really) [yes] {no} <maybe>",
    "a--b---c__d ~~e~~ ^f^ `g` |h| $i$ +j+ =k= @l@ #m# %n% &o& *p* /q/ \\r\\",
    "“Curly quotes” and ‘single ones’ — dashes – and… ellipses «guillemets» ¿qué? ¡sí!",
    "Math: 2+2=4, x<y>z, a^b, 3×4÷2 ± 1 ≤ 5 ≥ 0 ∞",
    # Contractions.
    "I can't believe it's not butter; they'd've known, wouldn't they?",
    "rock 'n' roll, o'clock, y'all",
    # Numbers with separators.
    "1,234,567.89 and 1.234.567,89 and 1 234 567 and 12'345",
    "Version 2.0.1-beta+build.5 released on 2024-03-15 at 09:30:00",
    "Call +1 (555) 123-4567 or 0800/123 456; pay $1,000.50 or €99,99 or ¥5000",
    # Accents, composed and decomposed.
    "café naïve Ångström Ñandú résumé",
    "CAFÉ NAÏVE ÅNGSTRÖM ÑANDÚ RÉSUMÉ",
    "cafe\u0301 nai\u0308ve A\u030angstro\u0308m N\u0303andu\u0301",
    "e\u0301\u0302\u0323 stacked combining marks, and a lone mark \u0301 here",
    "Crème brûlée à la façon de Noël, smörgåsbord, Øresund, Łódź, Dvořák, Şişli",
    "\u212bngstr\u00f6m with the angstrom sign and \u00c5ngstr\u00f6m with A-ring",
    # German, Greek, Cyrillic.
    "Straße, Fußball, GROẞE Maße, Ärger über Öl",
    "Καλημέρα κόσμε! ΟΔΟΣ Σίσυφος, ἀρετή",
    "Привет, мир! Ёлка и ЁЖИК, Україна, Беларусь",
    # CJK and Korean.
    "我爱北京天安门。",
    "中文字符和English混合123数字",
    "日本語のテキストです。カタカナとひらがな、漢字。",
    "ｶﾀｶﾅ half-width and ＦＵＬＬＷＩＤＴＨ ｌａｔｉｎ １２３",
    "안녕하세요, 세계! 한국어 문장입니다.",
    "CJK extensions: 㐀 (3400) 𠀀 (20000) 𪜀 (2A700) 𫝀 (2B740) 𫠠 (2B820) 豈 (F900) 丽 (2F800) ⺀ (2E80)",
    # U+2B820–U+2B91F: an ideograph to Python's BertTokenizer, not to Rust tokenizers.
    "a\U0002B820b a\U0002B920b a\U0002B81Fb a\U0002CEAFb a\U0002CEB0b",
    # Rust tokenizers' category tables are Unicode 8.0 and list no unassigned code points: format
    # characters (U+08E2, U+110CD, U+13430, U+0890), punctuation (U+2E43) and nonspacing marks
    # (U+1E944) from later versions, and unassigned ones (U+0378, U+2B81F), are ordinary letters.
    "a\u08E2b a\U000110CDb a\U00013430b a\u0890b a\u2E43b a\U0001E944b a\u0378b a\U0002B81Fb",
    "a\u180Eb a\u061Cb a\u0605b a\U0001BCA0b a\u2E42b a\u0900b a\uE000b a\U0010FFFDb",
    # Emoji and zero-width characters; U+1F972 and U+1FAE8 are newer than some Unicode tables.
    "x\U0001F972y x\U0001FAE8y",
    "I love pizza 🍕🍕 and 😀😃😄!",
    "family 👨‍👩‍👧‍👦 thumbs 👍🏽 flag 🇫🇷 heart ❤️",
    "zero\u200dwidth\u200bjoiner\u200cand\u2060word\ufeffjoiner",
    "soft\u00adhyphen and a private use \ue000 char",
    # Control characters, tabs and newlines.
    "tab\tseparated\tvalues\nnew line\r\nwindows line",
    "bell\u0007 null\u0000 escape\u001b delete\u007f nel\u0085 vt\u000b ff\u000c",
    "replacement \ufffd character and line\u2028separator para\u2029separator",
    # Control characters that are also White_Space (U+0085, VT, FF) are dropped, not spaced.
    "a\u0085b a\u000bb a\u000cb a\u001cb a\u2028b a\u00a0b a\u1680b",
    "   leading and trailing spaces   ",
    "nbsp\u00a0between\u2003em\u3000ideographic space",
    # Very long and unknown words.
    "a" * 101,
    "short " + "x" * 150 + " words",
    "supercalifragilisticexpialidocious " * 3,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism " + "ab" * 50,
    "ab" * 50 + "c",
    "xqzvkj qwrtplkj zzzzzzzz bbbbbbbbb",
    "ᚠᛇᚻ runes and ꦗꦮ javanese and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
    # URLs, e-mail addresses, code.
    "Visit https://www.example.com/path/to/page?query=1&b=two#frag now",
    "mail john.doe+tag@example.co.uk or admin@localhost",
    "git clone git@github.com:apple/swift.git && cd swift",
    "func f(x: Int) -> [String: Int] { return [\"a\": x] }",
    "snake_case_name camelCaseName kebab-case-name SCREAMING_CASE",
    # Mixed scripts and miscellaneous.
    "العربية שלום हिन्दी ภาษาไทย",
    "İstanbul ıi Iİ",
    "ﬁ ligature ﬀ ﬂ and ½ fraction ² superscript ™ ℃",
    "@user #hashtag RT: lol!!! :-) :D <3",
    "It's 25°C outside — 77°F; ~30% humidity.",
    # Special tokens written in the text encode as themselves (case-sensitive, not normalized).
    "hello [MASK] world",
    "x[SEP]y [mask] [ MASK ] [UNK][PAD] [[CLS]] [SEP",
    # Empty and whitespace-only.
    "",
    " ",
    "\t\n\r ",
    "\u0000\u0001\u0002",
]

# (text, max_length) pairs encoded with truncation; max_length counts [CLS] and [SEP].
TRUNCATED = [
    ("The quick brown fox jumps over the lazy dog.", 5),
    ("The quick brown fox jumps over the lazy dog.", 2),
    ("The quick brown fox jumps over the lazy dog.", 3),
    ("pneumonoultramicroscopicsilicovolcanoconiosis", 6),
    ("我爱北京天安门。", 4),
    ("Hello, world!", 128),
]


def main() -> None:
    tokenizer = BertWordPieceTokenizer(
        VOCAB, lowercase=True, strip_accents=None, clean_text=True, handle_chinese_chars=True
    )
    checker = None
    if os.path.exists(TOKENIZER_JSON):
        checker = Tokenizer.from_file(TOKENIZER_JSON)
        checker.no_padding()
        checker.no_truncation()

    cases = []
    for text in CORPUS:
        encoding = tokenizer.encode(text)
        if checker is not None and checker.encode(text).ids != encoding.ids:
            sys.exit(f"tokenizer.json disagrees with BertWordPieceTokenizer on {text!r}")
        cases.append({"text": text, "ids": encoding.ids, "tokens": encoding.tokens})

    truncated = []
    for text, max_length in TRUNCATED:
        tokenizer.enable_truncation(max_length)
        encoding = tokenizer.encode(text)
        truncated.append({"text": text, "max_length": max_length, "ids": encoding.ids})
    tokenizer.no_truncation()

    import tokenizers

    reference = {"tokenizers_version": tokenizers.__version__, "cases": cases, "truncated": truncated}
    with open(os.path.join(HERE, "tokenizer_reference.json"), "w", encoding="utf-8") as out:
        json.dump(reference, out, ensure_ascii=True, indent=1)
        out.write("\n")
    print(f"wrote {len(cases)} cases and {len(truncated)} truncated cases")


if __name__ == "__main__":
    main()
