-- numbering.lua: the book's numbering, for both engines that render it.
--
-- The IPS UNG report numbers tables and figures through the whole book
-- ("Tabel 1-9" in chapters 1-7, continuing in the appendices), its chapters
-- "1, 2, ...", sections "4.1", and its appendices "Bilag 1, 2, ..." (never
-- Quarto's letters). This filter is the only implementation of those rules:
-- Quarto runs it (`filters:` in _quarto.yml, `at: pre-quarto`) and
-- ipsreport's own engine runs it through pandoc (`--lua-filter`,
-- ipsreport.render.crossref). The rules - which heading and float gets which
-- number, and what a reference reads - are in `number_book`, `ref_text` and
-- `section_number`; the rest feeds them one of two inputs:
--
-- * Quarto (the `quarto` global exists). Quarto numbers per chapter
--   ("Tabel 4.1") and letters appendices ("Bilag A"); no `crossref:` option
--   changes that. Each chapter is a document of its own, so the filter reads
--   the chapter list from `_quarto.yml` and scans every chapter file's source
--   (headings with their ids, `#| label: tbl-/fig-` cell options,
--   `{#tbl-/fig-...}` ids) into one index in book order. HTML: Quarto numbers
--   each page's floats from 1 (`crossref: chapters: false`); the filter starts
--   its counters after the floats of the earlier files. Typst: the caption
--   gets its number ("Tabel 3: ..."), and chapter and section headings get
--   theirs, because the house template numbers nothing.
-- * The own engine (plain pandoc, no `quarto` global). The engine has run
--   the cells already, so it knows which labelled cell shows a table and
--   which printed only a sentence (no data: no number). It therefore hands
--   pandoc the executed markdown, not the sources, in two passes:
--   1. the index pass: the whole book as one markdown document, each chapter
--      after a raw `ipsreport-file` block (path, page, appendix?), each shown
--      table or figure as an empty div `{#tbl-x .ipsreport-float}`, each
--      labelled cell that shows none as `{#tbl-x .ipsreport-absent}`. The
--      filter numbers the book and writes the index, the chapter list and
--      the warnings (unknown or dangling references, duplicate labels) as
--      JSON (writer `plain`);
--   2. the chapter pass, once per chapter and format: the chapter's markdown
--      after a raw `ipsreport-index` block (that index, the page, the words,
--      the target format). The filter writes the numbers into the headings
--      and resolves the references, as in Quarto. Table and figure captions
--      are written by the engine from the index.
--
-- References `@tbl-x`, `@fig-x`, `@sec-x` become links reading "Tabel 3",
-- "Figur 2", "kapitel 4", "afsnit 4.1" or "Bilag 7" (`@Sec-...` capitalised,
-- `[-@x]` the number only). Under Quarto the words come from `crossref:` /
-- `language:` in `_quarto.yml` and an unknown label is left to Quarto, which
-- warns about it; the engine passes the same words
-- (ipsreport.render.words.crossref_labels) and marks an unknown label
-- "?@label" with a warning. A table the engine did not show has no number:
-- a reference to it in brackets, "(@tbl-x)", is left out with its brackets.
--
-- Limits (kept in step with report/README.md): under Quarto, headings printed
-- by an `output: asis` cell are not seen by the scan (the report's chapters
-- print none that are numbered), a cell must not make more than one labelled
-- float, and a labelled cell that prints no table is still counted.

local ENGINE = rawget(_G, "quarto") == nil

-- Between the word and the number: Quarto's own cross-references use a
-- no-break space; the own engine's pages have always used a plain space
-- (its texts are pinned by tests and by the published-text comparison).
local SEP = ENGINE and " " or "\u{a0}"

local index = nil     -- id -> {file=, page=, kind=, num=, title=}
local files = nil     -- ordered list of {path=, page=, appendix=, num=, tbl=, fig=, title=}
local words = nil

local function stringify(x)
  return x and pandoc.utils.stringify(x) or nil
end

-- The numbers of one book. `items`: its files in book order, each
-- {path=, page=, appendix=, heads={ {level=, id=, numbered=, title=} },
--  floats={ {kind="tbl"|"fig", id=} }, absent={ id, ... }}.
-- Chapters whose first heading is numbered count 1, 2, ...; appendices
-- count 1, 2, ... of their own; sections N.M.K inside chapters only (an
-- appendix's sections are unnumbered, and a reference to one names the
-- appendix); tables and figures count through the whole book. Returns the
-- index and the list of duplicate labels.
local function number_book(items)
  local idx, list, dups = {}, pandoc.List(), pandoc.List()
  local function put(id, entry)
    if idx[id] then dups:insert({ id = id, file = entry.file }) end
    idx[id] = entry
  end
  local chapter, appendix = 0, 0
  local counts = { tbl = 0, fig = 0 }
  for _, item in ipairs(items) do
    local heads = item.heads
    local entry = { path = item.path, page = item.page, appendix = item.appendix, tbl = counts.tbl, fig = counts.fig }
    local first = heads[1]
    entry.title = first and first.level == 1 and first.title or nil
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
        put(h.id, { file = item.path, page = item.page, kind = kind, level = h.level,
                    num = item.appendix and entry.num or num, title = h.title })
      end
    end
    for _, fl in ipairs(item.floats) do
      counts[fl.kind] = counts[fl.kind] + 1
      put(fl.id, { file = item.path, page = item.page, kind = fl.kind, num = tostring(counts[fl.kind]) })
    end
    for _, id in ipairs(item.absent or {}) do
      put(id, { file = item.path, page = item.page, kind = "absent" })
    end
    list:insert(entry)
  end
  return idx, list, dups
end

-- The number a heading shows, counted in document order in `counters`
-- (level -> count), as number_book counts it; nil for none.
local function section_number(h, chapter_num, counters)
  if not chapter_num or h.classes:includes("unnumbered") then return nil end
  if h.level == 1 then return chapter_num end
  counters[h.level] = (counters[h.level] or 0) + 1
  for l = h.level + 1, 6 do counters[l] = 0 end
  local parts = { chapter_num }
  for l = 2, h.level do parts[#parts + 1] = tostring(counters[l] or 0) end
  return table.concat(parts, ".")
end

local function ref_text(entry, upper, number_only)
  -- An unnumbered chapter is referred to by its title, an unnumbered
  -- section by its title in quotation marks («Datagrundlag»).
  local text
  if not entry.num then
    text = entry.title or ""
    if entry.kind == "sec" and text ~= "" then text = "«" .. text .. "»" end
  elseif number_only then
    return entry.num
  else
    text = (words[entry.kind] or "") .. SEP .. entry.num
  end
  if upper then text = text:sub(1, 1):upper() .. text:sub(2) end
  return text
end

-- A citation's label and whether it was written capitalised (`@Sec-x`).
local function cite_key(id)
  local upper = id:match("^%u") ~= nil
  return upper and (id:sub(1, 1):lower() .. id:sub(2)) or id, upper
end

local function is_ref_key(key)
  return key:match("^tbl%-") or key:match("^fig%-") or key:match("^sec%-")
end

-- Is inlines[i] (a Cite) written in brackets of its own, "(@tbl-x)"?
local function parenthetical(inlines, i)
  local before, after = inlines[i - 1], inlines[i + 1]
  return before and before.t == "Str" and before.text:sub(-1) == "("
    and after and after.t == "Str" and after.text:sub(1, 1) == ")"
end

---------------------------------------------------------------------------
-- Input 1: Quarto. The index comes from the chapter sources.
---------------------------------------------------------------------------

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
  -- Cells that show nothing for these data (a table without data, the
  -- edition comparison without a previous edition): written by the
  -- project's pre-render step (_extensions/ipsreport/freeze_key.py). They
  -- take no number, as in the own engine, which sees them executed.
  local absent = {}
  local listed = read(pandoc.path.join({ dir, "_freeze", "ipsreport-absent.json" }))
  if listed then
    for _, label in ipairs(pandoc.json.decode(listed)) do absent[label] = true end
  end
  local items = pandoc.List()
  for _, item in ipairs(book_files(meta.book or {})) do
    local heads, floats = scan(read(pandoc.path.join({ dir, item.path })) or "")
    local shown, gone = pandoc.List(), pandoc.List()
    for _, fl in ipairs(floats) do
      if absent[fl.id] then gone:insert(fl.id) else shown:insert(fl) end
    end
    items:insert({ path = item.path, appendix = item.appendix, heads = heads, floats = shown, absent = gone })
  end
  index, files = number_book(items)
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

local function number_caption(float, entry)
  local prefix = pandoc.Inlines({ pandoc.Str(words[entry.kind] .. SEP .. entry.num .. words.delim), pandoc.Space() })
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
local drop_absent, has_absent   -- defined with the engine's filters below; Quarto's use them too
local quarto_absent = nil        -- Quarto: does the index hold an absent cell (computed once)

local QUARTO_FILTERS = {
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
      -- A cell that shows nothing: no caption and nothing for Quarto to number.
      if entry and entry.kind == "absent" then return pandoc.Div({}) end
      if not here or not entry or not typst() then return nil end
      number_caption(float, entry)
      return float
    end,
    Header = function(h)
      if divider and typst() and h.level == 1 then return {} end
      if not here then return nil end
      if here.appendix then
        if h.level == 1 then
          local label = pandoc.Inlines({ pandoc.Str(words.apx .. SEP .. here.num .. words.apx_delim), pandoc.Space() })
          h.content = label .. h.content
        end
        h.classes:insert("unnumbered")
        return h
      end
      if typst() then
        -- The house Typst template prints no heading numbers: write them.
        local num = section_number(h, here.num, sections)
        if num then h.content = pandoc.Inlines({ pandoc.Str(num), pandoc.Space() }) .. h.content end
        h.classes:insert("unnumbered")
        return h
      end
      return nil
    end,
    Inlines = function(list)
      if not here or not index then return nil end
      if quarto_absent == nil then quarto_absent = has_absent(index) end
      if not quarto_absent then return nil end
      return drop_absent(list, index)
    end,
    Cite = function(cite)
      if not here then return nil end
      local out = pandoc.Inlines({})
      for i, c in ipairs(cite.citations) do
        local key, upper = cite_key(c.id)
        local entry = index[key]
        if not entry then return nil end   -- Quarto's own handling (and warning)
        if entry.kind == "absent" then return pandoc.Inlines({}) end   -- its brackets go in Inlines below
        if i > 1 then out:insert(pandoc.Str(",")); out:insert(pandoc.Space()) end
        local text = ref_text(entry, upper, c.mode == "SuppressAuthor")
        out:insert(pandoc.Link(pandoc.Inlines({ pandoc.Str(text) }), target(entry, key, here)))
      end
      return out
    end,
  },
}

---------------------------------------------------------------------------
-- Input 2: the own engine (ipsreport.render.crossref), plain pandoc.
-- Every walk below calls Lua only for the elements it changes (headings,
-- citations, callout divs): a walk over every list of inlines would cost
-- more than the conversion itself.
---------------------------------------------------------------------------

local function is_callout(div)
  for _, c in ipairs(div.classes) do
    if c:match("^callout") then return true end
  end
  return false
end

has_absent = function(idx)
  for _, entry in pairs(idx) do
    if entry.kind == "absent" then return true end
  end
  return false
end

-- The engine's two passes share the walks below; `mode` says which pass
-- this run is (the first block of the input says it).
local mode = nil       -- "index" (pass 1) or "chapter" (pass 2)
local job = nil        -- pass 2: {index=, here={page=, appendix=, num=}, words=, target=}
local items, item = pandoc.List(), nil   -- pass 1: the book's files, the current one
local seen = 0                          -- pass 1: files passed by the walk over the references
local counters, titled = {}, false      -- pass 2: the chapter's section counters

-- Pass 1, at the end: the index, chapter list and warnings out (JSON).
local function index_out(doc)
  local idx, list, dups = number_book(items)
  local warnings = pandoc.List()
  for _, d in ipairs(dups) do warnings:insert(d.file .. ": duplicate label '" .. d.id .. "'") end
  for _, it in ipairs(items) do
    for _, key in ipairs(it.cites) do
      if not idx[key] then warnings:insert(it.path .. ": unknown cross-reference @" .. key) end
    end
  end
  -- A reference to a table that is not shown must be in brackets of its own,
  -- "(@tbl-x)", to be left out; the words around it are read only in the
  -- chapters that refer to one (a walk over all the book's text is slow).
  local k = 0
  local function check(blocks, it)
    blocks:walk({
      Inlines = function(inlines)
        for i, el in ipairs(inlines) do
          local key = el.t == "Cite" and cite_key(el.citations[1].id)
          local entry = key and idx[key]
          if entry and entry.kind == "absent" and not parenthetical(inlines, i) then
            warnings:insert(it.path .. ": @" .. key .. " refers to a table or figure that is not shown; "
              .. "write the reference in brackets, (@label), so it can be left out")
          end
        end
      end,
    })
  end
  local chunk = nil
  for _, b in ipairs(doc.blocks) do
    if b.t == "RawBlock" and b.format == "ipsreport-file" then
      if chunk then check(chunk, items[k]) end
      k = k + 1
      local cited = false
      for _, key in ipairs(items[k].cites) do
        if idx[key] and idx[key].kind == "absent" then cited = true end
      end
      chunk = cited and pandoc.Blocks({}) or nil
    elseif chunk then
      chunk:insert(b)
    end
  end
  if chunk then check(chunk, items[k]) end
  for _, f in ipairs(list) do f.appendix = f.appendix and true or false end
  local out = { index = idx, files = list, warnings = warnings }
  return pandoc.Pandoc({ pandoc.RawBlock("plain", pandoc.json.encode(out)) })
end

-- Pass 2: "(@tbl-x)" of a table the engine did not show: left out with its
-- brackets and the space before them, so the sentence still reads.
drop_absent = function(list, idx)
  local out, k, changed = pandoc.Inlines({}), 1, false
  while k <= #list do
    local el = list[k]
    local entry = el.t == "Cite" and #el.citations == 1 and idx[cite_key(el.citations[1].id)]
    if entry and entry.kind == "absent" and parenthetical(list, k) then
      changed = true
      local before = out[#out]
      before.text = before.text:sub(1, -2)
      if before.text == "" then
        out:remove(#out)
        if out[#out] and (out[#out].t == "Space" or out[#out].t == "SoftBreak") then out:remove(#out) end
      end
      list[k + 1].text = list[k + 1].text:sub(2)
      if list[k + 1].text == "" then k = k + 1 end
    else
      out:insert(el)
    end
    k = k + 1
  end
  return changed and out or nil
end

local ENGINE_FILTERS = {
  {
    Pandoc = function(doc)
      local first = doc.blocks[1]
      if first and first.t == "RawBlock" and first.format == "ipsreport-file" then mode = "index" end
      if not (first and first.t == "RawBlock" and first.format == "ipsreport-index") then return nil end
      mode = "chapter"
      job = pandoc.json.decode(first.text)
      words = { tbl = job.words.tbl, fig = job.words.fig, sec = job.words.section, ch = job.words.chapter,
                apx = job.words.appendix }
      if has_absent(job.index) then
        return doc:walk({ Inlines = function(list) return drop_absent(list, job.index) end })
      end
      return nil
    end,
  },
  {
    -- Headings and floats in document order; a callout's heading is its
    -- title, not a section, and nothing inside a callout is counted.
    traverse = "topdown",
    RawBlock = function(raw)
      if mode == "chapter" and raw.format == "ipsreport-index" then return {} end
      if mode ~= "index" or raw.format ~= "ipsreport-file" then return nil end
      local meta = pandoc.json.decode(raw.text)
      item = { path = meta.path, page = meta.page, appendix = meta.appendix, cites = pandoc.List(),
               heads = pandoc.List(), floats = pandoc.List(), absent = pandoc.List() }
      items:insert(item)
    end,
    Div = function(div)
      if mode == "index" and item and div.classes:includes("ipsreport-float") then
        item.floats:insert({ kind = div.identifier:match("^(%a+)%-"), id = div.identifier })
      elseif mode == "index" and item and div.classes:includes("ipsreport-absent") then
        item.absent:insert(div.identifier)
      elseif mode and is_callout(div) then
        return nil, false
      end
    end,
    Header = function(h)
      if mode == "index" and item then
        item.heads:insert({ level = h.level, id = h.identifier ~= "" and h.identifier or nil,
                            numbered = not h.classes:includes("unnumbered"), title = stringify(h.content) })
        return nil, false
      end
      if mode ~= "chapter" then return nil end
      local here = job.here
      if here.appendix then
        -- The appendix's title reads "Bilag 2: ..."; its sections have no numbers.
        if h.level ~= 1 or titled then return nil end
        titled = true
        h.content = pandoc.Inlines(words.apx .. SEP .. here.num .. ":") .. { pandoc.Space() } .. h.content
        return h
      end
      local num = section_number(h, here.num, counters)
      if not num then return nil end
      h.content = pandoc.Inlines({ pandoc.Str(num), pandoc.Space() }) .. h.content
      return h
    end,
    Figure = function(fig)
      -- A markdown image with an id, `![...](file.png){#fig-x}`.
      if not fig.identifier:match("^fig%-") then return nil end
      if mode == "index" and item then item.floats:insert({ kind = "fig", id = fig.identifier }) end
      local entry = mode == "chapter" and job.index[fig.identifier]
      local cap = fig.caption.long
      if not entry or #cap == 0 or not cap[1].content then return nil end
      cap[1].content = pandoc.Inlines(words.fig .. SEP .. entry.num .. ":") .. { pandoc.Space() } .. cap[1].content
      fig.caption.long = cap
      return fig
    end,
  },
  {
    -- References: pass 1 notes them (checked at the end), pass 2 writes them.
    traverse = "topdown",
    RawBlock = function(raw)
      if mode == "index" and raw.format == "ipsreport-file" then
        seen = seen + 1
        item = items[seen]
      end
    end,
    Cite = function(el)
      if mode == "index" and item then
        for _, c in ipairs(el.citations) do
          local key = cite_key(c.id)
          if is_ref_key(key) then item.cites:insert(key) end
        end
        return nil
      end
      if mode ~= "chapter" then return nil end
      local out = pandoc.Inlines({})
      for i, c in ipairs(el.citations) do
        local key, upper = cite_key(c.id)
        local entry = job.index[key]
        if not entry and not is_ref_key(key) then return nil end   -- not a cross-reference
        if i > 1 then out:insert(pandoc.Str(",")); out:insert(pandoc.Space()) end
        if not entry then
          out:insert(pandoc.Strong(pandoc.Inlines({ pandoc.Str("?@" .. key) })))   -- pass 1 warned
        elseif entry.kind ~= "absent" then   -- a bare reference to a table not shown is dropped (pass 1 warned)
          local target = "#" .. key
          if job.target == "html" and entry.page ~= job.here.page then target = entry.page .. target end
          out:insert(pandoc.Link(pandoc.Inlines(ref_text(entry, upper, c.mode == "SuppressAuthor")), target))
        end
      end
      return out
    end,
  },
  {
    Pandoc = function(doc)
      if mode == "index" then return index_out(doc) end
    end,
  },
}

return ENGINE and ENGINE_FILTERS or QUARTO_FILTERS
