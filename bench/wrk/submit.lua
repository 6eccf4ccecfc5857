-- POST / with a new essay of 100-400 words every time, from one browser session whose cookie,
-- CSRF token and form-start token bench/wrk.py took from GET / (BENCH_* variables).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local words, counter = {}, 0
for word in io.lines(os.getenv("BENCH_WORDS")) do words[#words + 1] = word end
local fixed = "csrf_token=" .. os.getenv("BENCH_TOKEN") .. "&started=" .. os.getenv("BENCH_STARTED")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Referer"] = os.getenv("BENCH_REFERER")

function init(args)
  -- each wrk thread its own sequence, so no two requests send the same essay
  math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16) % 2147483647)
end

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, math.random(100, 400) do parts[i] = words[math.random(#words)] end
  local body = fixed .. "&email=u" .. counter .. "%40example.org&essay=" .. table.concat(parts, "+") ..
      "+" .. math.random(1e9)
  return wrk.format(nil, "/", nil, body)
end
