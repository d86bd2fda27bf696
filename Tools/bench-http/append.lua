-- wrk script: POST one event per request (a training record for worker W-00001 of the demo
-- ledger). Without an id each request is a new event, so every request is a durable append.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-ndjson"
wrk.body = '{"type":"TrainingCompleted","schemaVersion":1,"occurredOn":"2025-06-01","data":{"workerRef":"W-00001","kind":"mandatory","title":"Refresher"}}\n'

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
