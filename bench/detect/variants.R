## bench/detect: farringtonFlexible under other settings (muan, no reweighting, other noPeriods,
## delta with other power transforms, no trend) on the national salmNewport series, and on a
## seeded daily series; writes v_NAME.csv (date, ub, alarm) and daily_counts.csv into the
## current folder for bench/detect/run to compare with fangkong detect.
suppressPackageStartupMessages(library(surveillance))
data("salmNewport"); nat <- aggregate(salmNewport, by = "unit")
write.csv(data.frame(date = format(epoch(nat)), count = observed(nat)[, 1]), "nat_counts.csv",
          row.names = FALSE)
rngF <- which(epoch(nat) >= as.Date("2011-01-01") & epoch(nat) <= as.Date("2013-12-31"))
base <- list(range = rngF, b = 5, w = 3, reweight = TRUE, weightsThreshold = 2.58, alpha = 0.05, trend = TRUE,
  pThresholdTrend = 1, limit54 = c(5, 4), powertrans = "2/3", noPeriods = 10, pastWeeksNotIncluded = 26,
  thresholdMethod = "nbPlugin", glmWarnings = FALSE)
v <- list(
  muan = list(thresholdMethod = "muan"),
  noreweight = list(reweight = FALSE),
  np4_pw8 = list(noPeriods = 4, pastWeeksNotIncluded = 8),
  b3w2_delta_half = list(b = 3, w = 2, thresholdMethod = "delta", powertrans = "1/2", pThresholdTrend = 0.05, noPeriods = 1, pastWeeksNotIncluded = 2),
  delta_none_notrend = list(thresholdMethod = "delta", powertrans = "none", trend = FALSE, noPeriods = 1, pastWeeksNotIncluded = 3, weightsThreshold = 1))
for (n in names(v)) {
  r <- farringtonFlexible(nat, control = modifyList(base, v[[n]]))
  write.csv(data.frame(date = format(epoch(nat)[rngF]), ub = upperbound(r)[, 1], alarm = as.integer(alarms(r)[, 1])),
            paste0("v_", n, ".csv"), row.names = FALSE, na = "")
}
## a daily series: farringtonFlexible with freq 365
set.seed(3); N <- 365 * 4 + 200
yd <- rpois(N, 3 * (1 + 0.5 * sin(2 * pi * (1:N) / 365)))
dd <- seq(as.Date("2018-01-01"), by = "1 day", length.out = N)
sd <- sts(observed = matrix(yd, ncol = 1), epoch = as.numeric(dd), epochAsDate = TRUE, freq = 365)
rng <- (N - 99):N
r <- farringtonFlexible(sd, control = modifyList(base, list(range = rng, b = 3, noPeriods = 1, pastWeeksNotIncluded = 7)))
write.csv(data.frame(date = format(dd), count = yd), "daily_counts.csv", row.names = FALSE)
write.csv(data.frame(date = format(dd[rng]), ub = upperbound(r)[, 1], alarm = as.integer(alarms(r)[, 1])),
          "v_daily.csv", row.names = FALSE, na = "")
## EARS and CUSUM on a sparse daily series (negative binomial, mean 1.5, many zeros)
set.seed(11); N <- 300
y <- rnbinom(N, mu = 1.5, size = 1); y[200:203] <- y[200:203] + 6
dd <- seq(as.Date("2021-01-01"), by = "1 day", length.out = N)
s <- sts(observed = matrix(y, ncol = 1), epoch = as.numeric(dd), epochAsDate = TRUE, freq = 365)
write.csv(data.frame(date = format(dd), count = y), "sparse_counts.csv", row.names = FALSE)
for (m in c("C1", "C2", "C3")) {
  r <- earsC(s, control = list(method = m, range = 13:N))
  write.csv(data.frame(date = format(dd[13:N]), ub = upperbound(r)[, 1], alarm = as.integer(alarms(r)[, 1])),
            paste0("v_ears_", tolower(m), ".csv"), row.names = FALSE, na = "")
}
for (tr in c("standard", "rossi")) {
  cu <- algo.cusum(sts2disProg(s), control = list(range = 100:N, k = 0.5, h = 4, trans = tr))
  write.csv(data.frame(date = format(dd[100:N]), ub = cu$upperbound, alarm = as.integer(cu$alarm)),
            paste0("v_cusum_", tr, ".csv"), row.names = FALSE, na = "")
}
