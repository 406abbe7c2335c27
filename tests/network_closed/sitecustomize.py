"""Put on PYTHONPATH of the live test servers (tests/conftest_server.py): the server process, and every worker it
starts, runs with the network closed except to this machine, like the test process itself
(tests/network_guard.py). A decision that tried to fetch anything would fail the end-to-end tests."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.network_guard import close_the_network  # noqa: E402

close_the_network()
