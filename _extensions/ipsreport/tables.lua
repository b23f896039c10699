-- tables.lua: great-tables HTML prepared as ipsreport's own engine does.
--
-- great-tables writes each table as HTML with a scoped <style> block (a
-- system font stack ending in `sans-serif`, `font-weight: initial`, grey
-- rules). Quarto inlines that CSS into the cells (juice) and translates it
-- to Typst, which gives "invalid font weight initial" and Typst's "unknown
-- font family: sans-serif" warnings and a table design that is not the
-- house design. The own engine instead drops great-tables' CSS and keeps
-- only alignment, bold column labels and break points
-- (ipsreport.render.gtable.html_for_typst); the house Typst template
-- (ipsreport/render/assets/book.typ) styles every table. This filter runs
-- before Quarto reads the tables (`at: pre-ast`) and hands every raw HTML
-- table of a Typst render to that same function - and of an HTML render to
-- html_for_page in the same wrapper as the own engine's pages, so that the
-- house stylesheet alone styles it - in one Python process per document
-- (the Python that runs the chapters: QUARTO_PYTHON, else python3).
-- Cell text is passed without HTML entities, because Quarto's CSS-inlining
-- step (juice) escapes an entity a second time ("p &lt; 0,05" in the PDF).

local CODE = [==[
import json, re, sys
from html import unescape
from ipsreport.render.gtable import html_for_page, html_for_typst, is_wide_table

def plain(m):
    # Cell text without entities: Quarto's juice step escapes "&lt;" a second
    # time (the PDF would print "p &lt; 0,05"). A "<" or "&" that a parser
    # could take for a tag or an entity gets a zero-width space after it.
    text = re.sub(r"<(?=[A-Za-z/!?])", "<\u200b", unescape(m.group(1)))
    return ">" + re.sub(r"&(?=[A-Za-z#])", "&\u200b", text) + "<"

def page(html):
    # As ipsreport.render.html writes a table into the page.
    body = html_for_page(html)
    scroll = "table-scroll table-wide" if is_wide_table(body) else "table-scroll"
    return f'<div class="{scroll}">{body}</div>'

job = json.load(sys.stdin)
if job["format"] == "typst":
    out = [re.sub(r">([^<]*)<", plain, html_for_typst(t, None, None)) for t in job["tables"]]
else:
    out = [page(t) for t in job["tables"]]
json.dump(out, sys.stdout)
]==]

local function is_table(el)
  return el.format == "html" and el.text:find("<table", 1, true) ~= nil
end

return {
  {
    Pandoc = function(doc)
      local format = quarto.doc.is_format("typst") and "typst" or (quarto.doc.is_format("html") and "html")
      if not format then return nil end
      local found = pandoc.List()
      doc.blocks:walk({ RawBlock = function(el) if is_table(el) then found:insert(el.text) end end })
      if #found == 0 then return nil end
      local python = os.getenv("QUARTO_PYTHON") or "python3"
      local ok, out = pcall(pandoc.pipe, python, { "-c", CODE }, quarto.json.encode({ format = format, tables = found }))
      if not ok then
        quarto.log.warning("ipsreport tables.lua: could not prepare the tables with " .. python .. ": " .. tostring(out))
        return nil
      end
      local prepared = quarto.json.decode(out)
      local i = 0
      return doc:walk({
        RawBlock = function(el)
          if not is_table(el) then return nil end
          i = i + 1
          return pandoc.RawBlock("html", prepared[i])
        end,
      })
    end,
  },
}
