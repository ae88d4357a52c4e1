"""krihs-analysis: reproducible analysis of resident-led community building cases.

Coded case sheets -> validated tidy data (:mod:`krihs_analysis.data`) -> Korea-Japan comparison
(:mod:`~krihs_analysis.compare`), integration-sustainability analysis (:mod:`~krihs_analysis.linkage`),
qualitative comparative analysis (:mod:`~krihs_analysis.qca`) -> trilingual figures
(:mod:`~krihs_analysis.figures`) -> scheduled Papermill reports (:mod:`~krihs_analysis.reports`).

Submodules are imported on demand so that ``import krihs_analysis`` stays fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("krihs-analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
