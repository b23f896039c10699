-- convert_all.lua: many pandoc conversions in one pandoc process (`pandoc lua convert_all.lua`).
--
-- ipsreport.render.pandoc.convert_all hands it a JSON list of conversions on
-- stdin - {text, from, to, filters, mathml} - and reads back a JSON list of
-- {out} or {err}, in the same order. Each conversion is what
-- `pandoc -f FROM -t TO --wrap=none [--lua-filter F]... [--mathml]` does:
-- read, run the filters in order (FORMAT set to the writer's name, as pandoc
-- sets it for a filter), write. One process instead of one per chapter saves
-- the start of the pandoc binary, most of a cold render's pandoc time.

local jobs = pandoc.json.decode(io.read("a"), false)
local results = {}
for i, job in ipairs(jobs) do
  local ok, res = pcall(function()
    local doc = pandoc.read(job.text, job.from)
    FORMAT = job.to
    for _, filter in ipairs(job.filters) do
      doc = pandoc.utils.run_lua_filter(doc, filter)
    end
    local options = { wrap_text = "none" }
    if job.mathml then
      options.html_math_method = "mathml"
    end
    return pandoc.write(doc, job.to, options)
  end)
  if ok then
    results[i] = { out = res }
  else
    results[i] = { err = tostring(res) }
  end
end
io.write(pandoc.json.encode(results))
