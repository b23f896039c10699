-- numbering.lua: the project's book numbering under Quarto.
--
-- The IPS UNG report numbers tables and figures through the whole book
-- ("Tabel 1-9" in chapters 1-7, continuing in the appendices) and its
-- appendices "Bilag 1, 2, ..." - as ipsreport's own engine does
-- (ipsreport/render/crossref.py). Quarto numbers per chapter ("Tabel 4.1")
-- and letters appendices ("Bilag A"); no `crossref:` option changes that
-- (`chapters: false` restarts the count on every HTML page, and the
-- appendix letters are fixed in Quarto's code). So this filter, run before
-- Quarto's own cross-referencing (`at: pre-quarto`), numbers the book
-- itself, the way the own engine does:
--
-- * it reads the book's chapter list from `_quarto.yml` and scans every
--   chapter file's source (headings with their ids, `#| label: tbl-/fig-`
--   cell options, `{#tbl-/fig-...}` ids) into one index, in book order;
-- * tables and figures: in HTML, Quarto numbers each page's floats from 1
--   (`crossref: chapters: false`); the filter starts its counters after the
--   floats of the earlier files. In Typst the caption gets its number
--   ("Tabel 3: ..."), as the own engine writes it (the house template
--   numbers nothing);
-- * headings: appendix titles read "Bilag 1: ..." and sections inside
--   appendices are unnumbered (own engine); in Typst, where the house
--   template prints headings without Typst numbering, the number is
--   written into chapter and section headings ("4 ...", "4.1 ...");
-- * references `@tbl-x`, `@fig-x`, `@sec-x` become links reading "Tabel 3",
--   "Figur 2", "kapitel 4", "afsnit 4.1" or "Bilag 7" (`@Sec-...`
--   capitalised, `[-@x]` the number only), with the words of `crossref:` /
--   `language:` in `_quarto.yml`. An unknown label is left to Quarto, which
--   warns about it.
--
-- Limits (kept in step with report/README.md): headings printed by an
-- `output: asis` cell are not seen by the scan (the report's chapters print
-- none that are numbered); a cell must not make more than one labelled float.

local index = nil     -- id -> {file=, kind=, num=}
local files = nil     -- ordered list of {path=, appendix=, num=, tbl=, fig=}
local words = nil

local function stringify(x)
  return x and pandoc.utils.stringify(x) or nil
end

local function project_dir()
  return (quarto.project and quarto.project.directory) or "."
end

local function read(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

-- The book's files in order, from the `book:` section of `_quarto.yml`.
local function book_files(meta_book)
  local out = pandoc.List()
  local function add(list, appendix)
    for _, item in ipairs(list or {}) do
      if pandoc.utils.type(item) == "table" and item.chapters then
        add(item.chapters, appendix)   -- a part: its chapters
      else
        local p = stringify(item)
        if p and p:match("%.qmd$") or (p and p:match("%.md$")) then
          out:insert({ path = p, appendix = appendix })
        end
      end
    end
  end
  add(meta_book.chapters, false)
  add(meta_book.appendices, true)
  return out
end

-- Headings (level, id, numbered?) and floats (kind, id) of one chapter source.
local function scan(text)
  local heads, floats = pandoc.List(), pandoc.List()
  local in_code, in_yaml, divs = false, false, 0
  local lineno = 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    lineno = lineno + 1
    if lineno == 1 and line:match("^%-%-%-%s*$") then
      in_yaml = true
    elseif in_yaml then
      if line:match("^%-%-%-%s*$") or line:match("^%.%.%.%s*$") then in_yaml = false end
    elseif line:match("^%s*```") then
      in_code = not in_code
    elseif in_code then
      local label = line:match("^#|%s*label:%s*[\"']?([%w_%-]+)")
      local prefix = label and label:match("^(%a+)%-")
      if prefix == "tbl" or prefix == "fig" then floats:insert({ kind = prefix, id = label }) end
    elseif line:match("^:::") then
      if line:match("^:::+%s*$") then divs = math.max(divs - 1, 0) else divs = divs + 1 end
    else
      local hashes, rest = line:match("^(#+)%s+(.*)$")
      if hashes and divs == 0 then
        local attr = rest:match("{([^}]*)}%s*$") or ""
        local id = attr:match("#([%w_%-]+)")
        local unnumbered = attr:match("%.unnumbered") ~= nil or attr:match("%f[%S]%-%f[%s}]") ~= nil
          or attr:match("^%s*%-%s*$") ~= nil
        local title = rest:gsub("%s*{[^}]*}%s*$", "")
        heads:insert({ level = #hashes, id = id, numbered = not unnumbered, title = title })
      end
      for id in line:gmatch("{#([%w_%-]+)") do
        local prefix = id:match("^(%a+)%-")
        if prefix == "tbl" or prefix == "fig" then floats:insert({ kind = prefix, id = id }) end
      end
    end
  end
  return heads, floats
end

local function build_index()
  index, files = {}, pandoc.List()
  local dir = project_dir()
  local cfg = read(pandoc.path.join({ dir, "_quarto.yml" }))
  if not cfg then return end
  local meta = pandoc.read("---\n" .. cfg .. "\n---\n", "markdown").meta
  local cr, lang = meta.crossref or {}, meta.language or {}
  words = {
    tbl = stringify(cr["tbl-prefix"]) or stringify(cr["tbl-title"]) or "Table",
    fig = stringify(cr["fig-prefix"]) or stringify(cr["fig-title"]) or "Figure",
    sec = stringify(cr["sec-prefix"]) or stringify(lang["crossref-sec-prefix"]) or "Section",
    ch = stringify(lang["crossref-ch-prefix"]) or "Chapter",
    apx = stringify(cr["appendix-title"]) or stringify(lang["crossref-apx-prefix"]) or "Appendix",
    delim = stringify(cr["title-delim"]) or ":",
    apx_delim = stringify(cr["appendix-delim"]) or ":",
  }
  local chapter, appendix = 0, 0
  local counts = { tbl = 0, fig = 0 }
  for _, item in ipairs(book_files(meta.book or {})) do
    local text = read(pandoc.path.join({ dir, item.path })) or ""
    local heads, floats = scan(text)
    local entry = { path = item.path, appendix = item.appendix, tbl = counts.tbl, fig = counts.fig }
    local first = heads[1]
    if item.appendix then
      appendix = appendix + 1
      entry.num = tostring(appendix)
    elseif first and first.numbered then
      chapter = chapter + 1
      entry.num = tostring(chapter)
    end
    local sec = { 0, 0, 0, 0, 0, 0 }
    for _, h in ipairs(heads) do
      local num = nil
      if item.appendix then
        if h.level == 1 then num = entry.num end
      elseif entry.num and h.numbered then
        if h.level == 1 then
          num = entry.num
        else
          sec[h.level] = sec[h.level] + 1
          for l = h.level + 1, #sec do sec[l] = 0 end
          local parts = { entry.num }
          for l = 2, h.level do parts[#parts + 1] = tostring(sec[l]) end
          num = table.concat(parts, ".")
        end
      end
      if h.id then
        local kind = item.appendix and "apx" or (h.level == 1 and "ch" or "sec")
        -- A reference to a section of an appendix names the appendix.
        index[h.id] = { file = item.path, kind = kind, num = item.appendix and entry.num or num, title = h.title }
      end
    end
    for _, fl in ipairs(floats) do
      counts[fl.kind] = counts[fl.kind] + 1
      index[fl.id] = { file = item.path, kind = fl.kind, num = tostring(counts[fl.kind]) }
    end
    files:insert(entry)
  end
end

-- The book file whose source is `path` (relative to the project), or nil.
local function file_entry(path)
  if index == nil then build_index() end
  if not path then return nil end
  local dir = project_dir()
  local want = pandoc.path.normalize(pandoc.path.join({ dir, path }))
  for _, f in ipairs(files) do
    if pandoc.path.normalize(pandoc.path.join({ dir, f.path })) == want then return f end
  end
  return nil
end

-- A Typst book is one document: Quarto marks where each file starts.
local function file_marker(raw)
  if raw.format ~= "html" then return nil end
  local encoded = raw.text:match("^<!%-%- quarto%-file%-metadata: ([^ ]+) %-%->$")
  if not encoded then return nil end
  local ok, data = pcall(function() return quarto.json.decode(quarto.base64.decode(encoded)) end)
  if ok and data and data.bookItemType then return data end
  return nil
end

local function typst()
  return quarto.doc.is_format("typst")
end

-- Link target of an index entry, seen from the current file.
local function target(entry, id, here)
  if typst() or (here and entry.file == here.path) then return "#" .. id end
  local from = pandoc.path.directory(here and here.path or "index.qmd")
  local rel = pandoc.path.make_relative(entry.file, from == "" and "." or from)
  return rel .. "#" .. id
end

local function ref_text(entry, upper, number_only)
  -- An unnumbered chapter or section (the reference list) is referred to by its title, as the own engine does.
  if not entry.num then return entry.title or "" end
  if number_only then return entry.num end
  local word = words[entry.kind] or ""
  if upper then word = word:sub(1, 1):upper() .. word:sub(2) end
  return word .. "\u{a0}" .. entry.num
end

local function number_caption(float, entry)
  local prefix = pandoc.Inlines({ pandoc.Str(words[entry.kind] .. "\u{a0}" .. entry.num .. words.delim), pandoc.Space() })
  local cap = float.caption_long
  if cap == nil then return end
  if pandoc.utils.type(cap) == "Block" and cap.content then
    cap.content = prefix .. cap.content
  elseif pandoc.utils.type(cap) == "Blocks" and #cap > 0 and cap[1].content then
    cap[1].content = prefix .. cap[1].content
  end
  float.caption_long = cap
end

local here = nil
local sections = {}
local divider = false

return {
  {
    Pandoc = function(doc)
      local input = quarto.doc.input_file
      local rel = input and pandoc.path.make_relative(input, project_dir()) or nil
      here = file_entry(rel)
      -- HTML: every chapter is a document of its own, and Quarto (with
      -- `crossref: chapters: false`) numbers its floats from 1. Start its
      -- counters after the tables and figures of the files before this one.
      -- Quarto has no option for this; its counters live in the global
      -- `crossref.index.nextOrder` (filters/crossref/index.lua).
      local cr = rawget(_G, "crossref")
      if here and not typst() and cr and cr.index and cr.index.nextOrder then
        cr.index.nextOrder.tbl = here.tbl + 1
        cr.index.nextOrder.fig = here.fig + 1
      end
      -- An HTML appendix page: Quarto titles it "Bilag A: ..."; number it.
      if here and here.appendix and doc.meta.title and not typst() then
        local done = false
        doc.meta.title = pandoc.walk_inline(pandoc.Span(doc.meta.title), {
          Str = function(s)
            if not done and s.text:match("^%u%p*$") then
              done = true
              return pandoc.Str(here.num .. s.text:sub(2))
            end
          end,
        }).content
        return doc
      end
      return nil
    end,
  },
  {
    traverse = "topdown",
    RawBlock = function(raw)
      local data = file_marker(raw)
      if data then
        here = file_entry(data.bookItemFile)
        -- Quarto's "Bilag" divider before the first appendix (a heading of
        -- its own in the PDF); the own engine has none.
        divider = data.bookItemType == "appendix" and data.bookItemFile == nil
        sections = {}
      end
      return nil
    end,
    -- Tables and figures. Typst: the house template numbers nothing, so the
    -- caption gets "Tabel 3: " as in the own engine. HTML: Quarto numbers
    -- the caption, starting where the previous files stopped (see Pandoc).
    FloatRefTarget = function(float)
      local entry = index and index[float.identifier]
      if not here or not entry or not typst() then return nil end
      number_caption(float, entry)
      return float
    end,
    Header = function(h)
      if divider and typst() and h.level == 1 then return {} end
      if not here then return nil end
      if here.appendix then
        if h.level == 1 then
          local label = pandoc.Inlines({ pandoc.Str(words.apx .. "\u{a0}" .. here.num .. words.apx_delim), pandoc.Space() })
          h.content = label .. h.content
        end
        h.classes:insert("unnumbered")
        return h
      end
      if typst() then
        -- The house Typst template prints no heading numbers: write them
        -- (counted as the scan counts them, in document order).
        local num = nil
        if here.num and not h.classes:includes("unnumbered") then
          if h.level == 1 then
            num = here.num
          else
            sections[h.level] = (sections[h.level] or 0) + 1
            for l = h.level + 1, 6 do sections[l] = 0 end
            local parts = { here.num }
            for l = 2, h.level do parts[#parts + 1] = tostring(sections[l] or 0) end
            num = table.concat(parts, ".")
          end
        end
        if num then h.content = pandoc.Inlines({ pandoc.Str(num), pandoc.Space() }) .. h.content end
        h.classes:insert("unnumbered")
        return h
      end
      return nil
    end,
    Cite = function(cite)
      if not here then return nil end
      local out = pandoc.Inlines({})
      for i, c in ipairs(cite.citations) do
        local id = c.id
        local upper = id:match("^%u") ~= nil
        local key = upper and (id:sub(1, 1):lower() .. id:sub(2)) or id
        local entry = index[key]
        if not entry then return nil end   -- Quarto's own handling (and warning)
        if i > 1 then out:insert(pandoc.Str(",")); out:insert(pandoc.Space()) end
        local text = ref_text(entry, upper, c.mode == "SuppressAuthor")
        out:insert(pandoc.Link(pandoc.Inlines({ pandoc.Str(text) }), target(entry, key, here)))
      end
      return out
    end,
  },
}
