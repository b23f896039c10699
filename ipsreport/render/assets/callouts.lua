-- Quarto-style callouts (::: {.callout-note} / .callout-tip / ...) for the
-- ipsreport pandoc engine. The title comes from `title="..."` or from a
-- leading heading inside the callout. HTML gets <div class="callout ...">,
-- Typst gets a call to the template's #callout(...) function.

local kinds = { note = "Bemærk", tip = "Tip", important = "Vigtigt", warning = "Advarsel", caution = "Forsigtig" }

local function callout_kind(div)
  for _, c in ipairs(div.classes) do
    local k = c:match("^callout%-(%a+)$")
    if k then return k end
  end
  return nil
end

function Div(div)
  local kind = callout_kind(div)
  if not kind then return nil end
  local title = nil
  local content = div.content
  if div.attributes["title"] then
    title = pandoc.read(div.attributes["title"], "markdown").blocks
    if #title > 0 and title[1].content then title = title[1].content else title = nil end
  elseif #content > 0 and content[1].t == "Header" then
    title = content[1].content
    content = pandoc.List({ table.unpack(content, 2) })
  end
  if not title then title = pandoc.Inlines(kinds[kind] or "Bemærk") end
  if FORMAT:match("typst") then
    local title_typ = pandoc.write(pandoc.Pandoc({ pandoc.Plain(title) }), "typst")
    local out = pandoc.List()
    out:insert(pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '", title: [' .. title_typ .. '])['))
    out:extend(content)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  local head = pandoc.Div({ pandoc.Plain(title) }, pandoc.Attr("", { "callout-title" }))
  local body = pandoc.Div(content, pandoc.Attr("", { "callout-body" }))
  return pandoc.Div({ head, body }, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }, { role = "note" }))
end
