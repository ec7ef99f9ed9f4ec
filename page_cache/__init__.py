"""Whole pages and counts kept in Redis for anonymous visitors, dropped by version keys when their data changes.

A cached page names the topics it shows; its key holds each topic's current version, so a write
that bumps a topic (versions.topics_changed()) makes every page that shows it render afresh on the
next visit, and the stale copies expire with PAGE_CACHE_SECONDS. The topics belong to the apps
whose data they name (users.topics, notes.topics); this package knows none of them. Members who
are logged in always get a fresh page, so nobody sees stale data after their own write. Only
canonical URLs are cached (no query, or just `?page=<n>`), so junk queries cannot fill Redis.
Redis being down means every visit renders afresh.
"""
