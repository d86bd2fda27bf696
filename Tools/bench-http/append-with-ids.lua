-- wrk script: POST one event per request, as append.lua does, but each with an id of its own
-- made by the client (a random version 4 UUID), as a client that retries safely would send.
-- Random ids land all over the ledger's id index, where ids the ledger assigns (time-ordered)
-- land at its end: this line shows what that costs.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + number)
end

local function hex(digits)
  local out = {}
  for i = 1, digits do out[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(out)
end

function request()
  local id = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-" .. string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(12)
  local body = '{"id":"' .. id .. '","type":"TrainingCompleted","schemaVersion":1,"occurredOn":"2025-06-01","data":{"workerRef":"W-00001","kind":"mandatory","title":"Refresher"}}\n'
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-ndjson"}, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
