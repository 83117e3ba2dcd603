import sys
from pathlib import Path

# Test helpers (brute force, strategies) are plain modules next to the tests.
sys.path.insert(0, str(Path(__file__).parent))
