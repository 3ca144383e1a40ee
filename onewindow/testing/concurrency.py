"""Running service calls at the same moment from several threads, each with its own database connection
(PostgreSQL-only tests: two clerks, one ticket; a double-clicked submit)."""

import threading

from django.db import connection


def run_together(targets):
    """Starts every callable at once (a barrier) and waits; returns (results, errors) in completion order."""
    start = threading.Barrier(len(targets))
    results, errors = [], []

    def wrap(target):
        def run():
            try:
                start.wait()
                results.append(target())
            except Exception as exc:  # the main thread inspects them
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run)

    threads = [wrap(t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
