-- cover.lua: the cover facts of the PDF (edition year, evaluator, funder,
-- synthetic-data notice) as `ipsreport-cover` metadata for typst-show.typ.
--
-- They come from the report's settings, never from _quarto.yml, so that
-- both engines print the same cover for the same data and settings:
-- * `ipsreport render --engine quarto` passes the cover its BookHooks carry
--   as JSON in IPSREPORT_COVER (ipsreport/render/quarto.py);
-- * a plain `quarto render` asks ipsreport.book.hooks.cover for it, with the
--   Python that runs the chapters (QUARTO_PYTHON, else python3) and the same
--   IPSREPORT_DATA / IPSREPORT_SETTINGS the chapters see.

local CODE = [[
import json
from pathlib import Path
from ipsreport.book.hooks import cover, resolve_settings
s = resolve_settings(None, None)
c = cover(s, Path(s.data_dir).expanduser().resolve())
print(json.dumps({"edition": c.edition, "lines": list(c.lines), "notice": c.notice}))
]]

local function cover_json()
  local given = os.getenv("IPSREPORT_COVER")
  if given and given ~= "" then return given end
  local python = os.getenv("QUARTO_PYTHON") or "python3"
  local ok, out = pcall(pandoc.pipe, python, { "-c", CODE }, "")
  if not ok then
    quarto.log.warning("ipsreport cover.lua: no cover facts (" .. python .. " could not run ipsreport.book.hooks.cover): " .. tostring(out))
    return nil
  end
  return out
end

return {
  {
    Meta = function(meta)
      if not quarto.doc.is_format("typst") or meta["ipsreport-cover"] ~= nil then return nil end
      local text = cover_json()
      if not text then return nil end
      local c = quarto.json.decode(text)
      local lines = pandoc.List()
      for _, l in ipairs(c.lines or {}) do lines:insert(pandoc.MetaString(l)) end
      meta["ipsreport-cover"] = pandoc.MetaMap({
        edition = pandoc.MetaString(c.edition or ""),
        lines = pandoc.MetaList(lines),
        notice = pandoc.MetaString(c.notice or ""),
      })
      return meta
    end,
  },
}
