-- kinds.lua: Quarto's Typst tables and figures as Typst's own kinds.
--
-- Quarto writes `figure(kind: "quarto-float-tbl")` / `"quarto-float-fig"`;
-- the house template (ipsreport/render/assets/book.typ) styles, keeps
-- together, breaks and lists ("Tabeller", "Figurer") figures of kind
-- `table` and `image`, as the own engine writes them. Run last
-- (`at: post-render`), when the floats are Typst text.

local KINDS = { ['"quarto%-float%-tbl"'] = "table", ['"quarto%-float%-fig"'] = "image" }

local function retype(el)
  if el.format ~= "typst" then return nil end
  local text, n = el.text, 0
  for from, to in pairs(KINDS) do
    local m
    text, m = text:gsub("kind: " .. from, "kind: " .. to)
    n = n + m
  end
  if n == 0 then return nil end
  el.text = text
  return el
end

return {
  { RawBlock = retype, RawInline = retype },
}
