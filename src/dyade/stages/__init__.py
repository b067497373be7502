"""Built-in pipeline stages; importing this package registers them."""

from . import actors, clean, dates, entities, events, language, nlp, places, published  # noqa: F401
