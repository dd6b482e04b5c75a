-- wrk script: each request asks for a random code of the sample bench/ledger wrote.
-- Arguments (after --): the codes file ("GTIN-14 serial" per line), the mode (page, json or bare),
-- and for bare the Authorization header value.
local codes = {}
local mode, authorization

function init(args)
    for line in io.lines(args[1]) do
        local gtin, serial = line:match("^(%d+) (%S+)$")
        if gtin then
            codes[#codes + 1] = { gtin, serial }
        end
    end
    mode = args[2]
    authorization = args[3]
    math.randomseed(os.time() + (wrk.thread and tonumber(tostring(wrk.thread):match("0x(%x+)") or "0", 16) or 0))
end

function request()
    local code = codes[math.random(#codes)]
    if mode == "page" then
        return wrk.format("GET", "/01/" .. code[1] .. "/21/" .. code[2], { ["Accept"] = "text/html" })
    elseif mode == "json" then
        return wrk.format("GET", "/01/" .. code[1] .. "/21/" .. code[2], { ["Accept"] = "application/json" })
    else
        return wrk.format("GET", "/api/codes/" .. code[2],
            { ["Accept"] = "application/json", ["Authorization"] = authorization })
    end
end
