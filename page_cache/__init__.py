"""Pages and counts kept in Redis (whole for anonymous visitors, their shared part for members), dropped by version keys.

A cached page names the topics it shows; its key holds each topic's current version, so a write
that bumps a topic (versions.topics_changed()) makes every page that shows it render afresh on the
next visit, and the stale copies expire with PAGE_CACHE_SECONDS. The topics belong to the apps
whose data they name (users.topics, notes.topics); this package knows none of them. Members who
are logged in get the part every member sees alike under the same versions (fragments.py) inside
a header rendered for them, so nobody sees stale data after their own write. A view may keep its
page otherwise and answer with a live part written in (`AnonymousPageCacheMixin.kept_page()`: a
note's page counts the view and writes in its count, in the same round trip). Only
canonical URLs are cached (no query, or just `?page=<n>`), so junk queries cannot fill Redis.
Redis being down means every visit renders afresh.
"""
