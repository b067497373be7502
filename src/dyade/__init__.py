"""dyade: political event coding for French-language news.

>>> import dyade
>>> events = dyade.extract("Le président russe a reçu lundi à Moscou son homologue turc.", published="2019-04-08")
"""

from __future__ import annotations

from .api import CODER_VERSION, code_batch, default_pipeline, events_frame, extract
from .build import build_pipeline
from .config import Settings, load_settings
from .errors import DyadeError, InputError
from .model import Actor, Article, DateValue, Document, Event, Place
from .pipeline import Failure, Pipeline

__version__ = "0.1.0"

__all__ = [
    "CODER_VERSION", "Actor", "Article", "DateValue", "Document", "DyadeError", "Event", "Failure", "InputError",
    "Pipeline", "Place", "Settings", "__version__", "build_pipeline", "code_batch", "default_pipeline",
    "events_frame", "extract", "load_settings",
]
