-- GET the URL wrk was given (a trivial endpoint), with the shared header and report.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
