"""``scrapy serve``: the store as feeds for readers, an API for programs and a status page for people.

Read-only on either backend: :mod:`.queries` reads, :mod:`.feeds` builds Atom, RSS and JSON
Feed documents, :mod:`.chart` draws the status page's charts, :mod:`.status` assembles the
page's figures, :mod:`.app` is the Starlette application that answers HTTP.
"""
