import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Test helpers (brute force, strategies) are plain modules next to the tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _english_unless_asked() -> Iterator[None]:
    """A command run in this process with --lang nl sets the run's language (`inputs.labels`), as a
    real run of seta does for its one command; the next test starts in English again."""
    from inputs.labels import set_language

    yield
    set_language("en")
