"""What was worked out from the records, kept per process under the revision token it was worked out with
(the open-data feed's, the work revision's), least recently used out first."""
import threading
from collections import OrderedDict


class Memo:
    def __init__(self, size, token):
        """token: () -> the current revision token, or None (a database without the row: nothing is kept)."""
        self.size, self.token, self.items, self.lock = size, token, OrderedDict(), threading.Lock()

    def get(self, key, build):
        token = self.token()
        if token is None:
            return build()
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit[0] == token:
                self.items.move_to_end(key)
                return hit[1]
        value = build()
        with self.lock:
            self.items[key] = (token, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value
