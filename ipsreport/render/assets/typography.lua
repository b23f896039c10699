-- Danish typography for prose, in both output formats (and usable by Quarto
-- as a `filters:` entry): no line break between a number and its unit, and a
-- real minus sign before a negative number.
--   "57 %"   -> "57" NO-BREAK SPACE "%"   (never "57" at a line end, "%" on the next)
--   "-0,36"  -> MINUS SIGN "0,36"          (a hyphen is not a minus)

local NBSP = "\u{00A0}"
local MINUS = "\u{2212}"
local UNITS = { ["%"] = true, ["%-"] = true, ["pct."] = true, ["år"] = true }

local function ends_with_digit(s) return s:match("%d$") ~= nil end

function Inlines(inlines)
  local out = pandoc.List()
  local i = 1
  while i <= #inlines do
    local el = inlines[i]
    if el.t == "Str" then
      -- A leading hyphen before a digit is a minus (not inside words like "WHO-5").
      el.text = el.text:gsub("^%-(%d)", MINUS .. "%1"):gsub("([%s%(%[])%-(%d)", "%1" .. MINUS .. "%2")
    end
    local nxt, after = inlines[i + 1], inlines[i + 2]
    if el.t == "Str" and ends_with_digit(el.text) and nxt and nxt.t == "Space"
        and after and after.t == "Str" and after.text:match("^%%") then
      out:insert(pandoc.Str(el.text .. NBSP .. after.text))
      i = i + 3
    else
      out:insert(el)
      i = i + 1
    end
  end
  return out
end
