"""Synthesis of citizen contributions: themes with verified quotes, no voice lost, floods found.

Service functions (what the CLI and the TUI call)::

    from garant.analyses import synthesis as s
    s.ingest_decidim(corpus_dir, Path("exports/"), pseudonymise=pseudonymiser)
    result = s.run_offline(corpus_dir, seed=0)            # or s.run_llm(corpus_dir, gateway, alias=…)
    s.save_result(result, corpus_dir / "runs" / "offline.json")
    report = s.build_report(result, s.load_corpus(corpus_dir), disclosure_markdown=label)
    s.write_report(report, out_dir)
    evaluation = s.evaluate(result, Path("gold.csv"))

Heavy libraries (scikit-learn, datasketch, rapidfuzz, matplotlib, openpyxl) are imported inside
the functions that use them, so importing this package stays cheap.
"""

from __future__ import annotations

from .corpus import (
    Corpus,
    CorpusManifest,
    Pseudonymiser,
    RawContribution,
    SourceBatch,
    SourceRecord,
    add_batch,
    create_corpus,
    load_corpus,
)
from .duplicates import DuplicateParameters, detect_duplicates
from .evaluate import Evaluation, evaluate, evaluation_markdown, read_gold
from .ingest import read_decidim, read_folder, read_jsonl, read_table, read_transcript
from .model import (
    Assignment,
    Contribution,
    DuplicateGroup,
    FloodReport,
    QuoteCheck,
    SingularContribution,
    SynthesisResult,
    Theme,
)
from .offline import Embedder, OfflineParameters, sentence_transformer_embedder
from .prompts import PromptTemplate, load_prompt
from .quotes import verify_quote
from .report import SynthesisReport, build_report, coverage_table, write_report
from .service import (
    ingest_decidim,
    ingest_folder,
    ingest_jsonl,
    ingest_table,
    ingest_transcript,
    load_result,
    run_llm,
    run_offline,
    save_result,
)

__all__ = [
    "Assignment",
    "Contribution",
    "Corpus",
    "CorpusManifest",
    "DuplicateGroup",
    "DuplicateParameters",
    "Embedder",
    "Evaluation",
    "FloodReport",
    "OfflineParameters",
    "PromptTemplate",
    "Pseudonymiser",
    "QuoteCheck",
    "RawContribution",
    "SingularContribution",
    "SourceBatch",
    "SourceRecord",
    "SynthesisReport",
    "SynthesisResult",
    "Theme",
    "add_batch",
    "build_report",
    "coverage_table",
    "create_corpus",
    "detect_duplicates",
    "evaluate",
    "evaluation_markdown",
    "ingest_decidim",
    "ingest_folder",
    "ingest_jsonl",
    "ingest_table",
    "ingest_transcript",
    "load_corpus",
    "load_prompt",
    "load_result",
    "read_decidim",
    "read_folder",
    "read_gold",
    "read_jsonl",
    "read_table",
    "read_transcript",
    "run_llm",
    "run_offline",
    "save_result",
    "sentence_transformer_embedder",
    "verify_quote",
    "write_report",
]
