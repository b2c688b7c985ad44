"""The Lua scripts of presence leases (``presence``): each one round trip, atomic in Redis.

Keys of a room: ``KEYS[1]`` is the room's set of processes; ``ARGV[1]`` the prefix of the
room's per-process hashes (``<base><process>``: user id -> name) and ``ARGV[2]`` the prefix
of the processes' lease keys (``<lease><process>``). A process counts while its lease exists.
"""

from __future__ import annotations

CHANGE = """
local procs, base, lease, me, user = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local mine = base .. me
if ARGV[5] == '1' then
  redis.call('HSET', mine, user, ARGV[6])
  redis.call('EXPIRE', mine, ARGV[7])
  redis.call('SADD', procs, me)
  redis.call('EXPIRE', procs, ARGV[7])
else
  redis.call('HDEL', mine, user)
end
for _, p in ipairs(redis.call('SMEMBERS', procs)) do
  if p ~= me and redis.call('EXISTS', lease .. p) == 1
      and redis.call('HEXISTS', base .. p, user) == 1 then
    return 1
  end
end
return 0
"""
"""Write whether one person is present through this process (ARGV: process, user id, '1' or
'0', name, expiry of the room's keys); answers 1 when the person is also present through
another live process."""

PEOPLE = """
local procs, base, lease = KEYS[1], ARGV[1], ARGV[2]
local listed, user = tonumber(ARGV[3]), ARGV[4]
local seen, n = {}, 0
for _, p in ipairs(redis.call('SMEMBERS', procs)) do
  if redis.call('EXISTS', lease .. p) == 1 then
    for _, u in ipairs(redis.call('HKEYS', base .. p)) do
      if not seen[u] then
        seen[u] = true
        n = n + 1
      end
    end
  end
end
local found = 0
if user ~= '' and seen[user] then found = 1 end
local answer = {n, found}
if listed ~= 0 then
  for u, _ in pairs(seen) do
    if listed > 0 and #answer - 2 >= listed then break end
    table.insert(answer, tonumber(u))
  end
end
return answer
"""
"""The people present through live processes (ARGV: how many ids to list, -1 all; a user id
to look for, or ''): answers {count, 1 if that user is present, up to that many ids} (in no
order: the caller sorts the few it lists)."""

RENEW = """
local had = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return had
"""
"""Renew a process's lease (``KEYS[1]``) for ARGV[1] milliseconds; answers whether it still
existed (0: new, expired, or lost in a Redis restart)."""

LEFT_WITH_DEAD_PROCESSES = """
local procs, base, lease = KEYS[1], ARGV[1], ARGV[2]
local live, dead = {}, {}
for _, p in ipairs(redis.call('SMEMBERS', procs)) do
  if redis.call('EXISTS', lease .. p) == 1 then
    table.insert(live, p)
  else
    table.insert(dead, p)
  end
end
if #dead == 0 then return {} end
local names, order = {}, {}
for _, p in ipairs(dead) do
  local entries = redis.call('HGETALL', base .. p)
  for i = 1, #entries, 2 do
    if names[entries[i]] == nil then
      names[entries[i]] = entries[i + 1]
      table.insert(order, entries[i])
    end
  end
  redis.call('DEL', base .. p)
  redis.call('SREM', procs, p)
end
local answer = {}
for _, user in ipairs(order) do
  local here = false
  for _, p in ipairs(live) do
    if redis.call('HEXISTS', base .. p, user) == 1 then
      here = true
      break
    end
  end
  if not here then
    table.insert(answer, user)
    table.insert(answer, names[user])
  end
end
return answer
"""
"""Take the lists of a room's processes whose lease expired (a server that died): delete them
(one caller gets them), and answer {user id, name, ...} of those people not present through a
live process: they left with their server."""
