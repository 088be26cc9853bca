## bench/detect: R's farringtonFlexible (surveillance, Noufaily settings as in
## ../shared/reference/surveillance/make-references.R) on the series of a counts.csv, timed.
## Rscript farrington.R COUNTS.csv WEEKS OUT.csv  -> OUT.csv: date, region_id, channel,
## upperbound, alarm; prints "R: <seconds> s for <n> evaluated weeks, <cpu> s CPU".
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
weeks <- as.integer(args[2])
d$key <- paste(d$region_id, d$channel, sep = "\t")
keys <- sort(unique(d$key))
dates <- sort(unique(as.Date(d$date)))
obs <- sapply(keys, function(k) { x <- d[d$key == k, ]; x$count[match(dates, as.Date(x$date))] })
s <- sts(observed = matrix(obs, ncol = length(keys)), epoch = as.numeric(dates), epochAsDate = TRUE,
         freq = 52)
n <- length(dates)
ctrl <- list(range = (n - weeks + 1):n, b = 5, w = 3, reweight = TRUE, weightsThreshold = 2.58,
             alpha = 0.05, trend = TRUE, pThresholdTrend = 1, limit54 = c(5, 4),
             powertrans = "2/3", fitFun = "algo.farrington.fitGLM.flexible",
             populationOffset = FALSE, noPeriods = 10, pastWeeksNotIncluded = 26,
             thresholdMethod = "nbPlugin", glmWarnings = FALSE)
t <- system.time(r <- farringtonFlexible(s, control = ctrl))
cat(sprintf("R: %.3f s for %d evaluated weeks, %.3f s CPU\n", t[["elapsed"]], weeks * length(keys),
            t[["user.self"]] + t[["sys.self"]]))
parts <- strsplit(keys, "\t")
out <- do.call(rbind, lapply(seq_along(keys), function(j) data.frame(
  date = format(dates[ctrl$range]), region_id = parts[[j]][1], channel = parts[[j]][2],
  upperbound = upperbound(r)[, j], alarm = as.integer(alarms(r)[, j]))))
write.csv(out, args[3], row.names = FALSE, na = "")
