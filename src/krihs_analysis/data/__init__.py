"""Case data: read and validate coded case sheets, build the processed data set, load context statistics.

A case sheet is a table with one row per case and one column per codebook variable. It may be CSV (UTF-8, UTF-8
with BOM, or CP949/EUC-KR as Korean Excel saves it) or XLSX, with headers in English, Korean or Japanese.
Validation collects every problem in one pass and reports it as Excel shows the sheet (the header is row 1).

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> cases = read_cases()                     # the embedded, illustrative sample
>>> cases.attrs["encoding"], len(cases)
('utf-8', 26)
>>> str(cases["integration"].dtype)
'category'
"""


from .processed import build, read_processed
from .context import case_municipalities, context_sources, jp_municipality_names, read_context, survey_gaps
from .errors import PROBLEM_COLUMNS, CaseDataError
from .read import RawSheet, read_raw
from .schema import is_jp_local_government_code, read_cases
from .tidy import core_task_indices, default_clusters, is_illustrative, numeric_codes, to_long

__all__ = [
    "PROBLEM_COLUMNS", "CaseDataError", "RawSheet", "build", "context_sources", "core_task_indices", "default_clusters",
    "case_municipalities", "is_illustrative", "is_jp_local_government_code", "jp_municipality_names", "numeric_codes",
    "read_cases", "read_context",
    "read_processed", "read_raw", "survey_gaps", "to_long",
]
