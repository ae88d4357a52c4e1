# Reference values for tests/test_qca_diagnostics.py, from SetMethods 4.0 (github.com/cran/SetMethods, tag 4.0)
# on R QCA 3.25.1. Run from the repository root:  Rscript tests/r/setmethods_reference.R
# Writes tests/data/qca/setmethods_data.csv (data generated here with set.seed; the package never saw it),
# and tests/data/qca/setmethods_reference.json (what SetMethods gives).
suppressMessages({library(QCA); library(SetMethods); library(jsonlite)})
out <- "tests/data/qca"
set.seed(20261201)
n <- 26
raw_A <- round(runif(n, 0, 100), 1)
d <- data.frame(A = calibrate(raw_A, type = "fuzzy", thresholds = c(20, 50, 80)),
                B = round(rbeta(n, .8, .8), 2), C = round(rbeta(n, .8, .8), 2), D = round(rbeta(n, .8, .8), 2))
d[d == 0.5] <- 0.51
d$Y <- pmin(1, pmax(0, round(pmax(pmin(d$A, d$B), pmin(d$C, 1 - d$D)) + rnorm(n, -0.05, .08), 2)))
d$Y[d$Y == 0.5] <- 0.52
ids <- paste0(rep(c("KR", "JP"), times = c(14, 12)), "-", sprintf("%02d", 1:n))
ids[3] <- "NA"   # a case labelled NA (as Namibia in HarKem) must stay a label
rownames(d) <- ids
d$id <- ids; d$country <- ifelse(substr(ids, 1, 2) == "JP", "JP", "KR")
write.csv(cbind(d, raw_A = raw_A), file.path(out, "setmethods_data.csv"), row.names = FALSE)
conds <- c("A", "B", "C", "D")
ref <- list()
sol <- minimize(truthTable(d, outcome = "Y", conditions = conds, incl.cut = 0.8), include = "?")
ref$expression <- paste(sol$solution[[1]], collapse = " + ")

# cluster(): every term and the whole model M1, sufficiency and necessity
clus <- function(nec) {
  cl <- cluster(d, sol, "Y", unit_id = "id", cluster_id = "country", necessity = nec)
  lapply(cl$output, function(o) list(pooled = o$POCOS, between = o$BECOS, dBP = o$dBP, dWP = o$dWP,
                                     cov_pooled = o$Coverages$pooled, cov_between = o$Coverages$between))
}
ref$cluster <- clus(FALSE)
# With a minimize() result SetMethods 4.0 does not pass necessity on (cluster.R calls cluster.diagnostics()
# without it), so necessity is computed on the numeric path: the membership vector of each term.
ref$cluster_necessity <- lapply(setNames(sol$solution[[1]], sol$solution[[1]]), function(term) {
  o <- cluster(data = d, results = as.numeric(compute(term, data = d)), outcome = "Y", unit_id = "id",
               cluster_id = "country", necessity = TRUE)
  list(pooled = o$POCOS, between = o$BECOS, dBP = o$dBP, dWP = o$dWP,
       cov_pooled = o$Coverages$pooled, cov_between = o$Coverages$between)
})
ref$cluster_groups <- sort(unique(d$country))
ref$cluster_names <- names(cluster(d, sol, "Y", unit_id = "id", cluster_id = "country")$output)

# skew.check(): its printed n_above / n and percent (2 decimals)
ref$skew <- skew.check(d[, c(conds, "Y")])

# rob.inclrange() / rob.ncutrange(), parsimonious solution at incl.cut 0.8
ref$inclrange <- rob.inclrange(data = d, step = 0.1, max.runs = 20, outcome = "Y", conditions = conds,
                               incl.cut = 0.8, n.cut = 1, include = "?")$RCT
ref$ncutrange <- rob.ncutrange(data = d, step = 1, max.runs = 20, outcome = "Y", conditions = conds,
                               incl.cut = 0.8, n.cut = 1, include = "?")[[1]]
# rob.calibrange(): anchors of A (raw_A, direct calibration 20/50/80), step 5
raw <- data.frame(raw_A = raw_A)
cr <- rob.calibrange(raw.data = raw, calib.data = d, test.cond.raw = "raw_A", test.cond.calib = "A",
                     test.thresholds = c(20, 50, 80), step = 5, max.runs = 10, outcome = "Y",
                     conditions = conds, incl.cut = 0.8, n.cut = 1, include = "?")
ref$calibrange <- lapply(cr, function(x) as.vector(unlist(x)))

# rob.fit(), rob.corefit(), rob.case.ratio(), rob.cases(): IS = sol, TS = two variations
ts1 <- minimize(truthTable(d, outcome = "Y", conditions = conds, incl.cut = 0.75), include = "?")
ts2 <- minimize(truthTable(d, outcome = "Y", conditions = conds, incl.cut = 0.85), include = "?")
tests <- list(ts1, ts2)
ref$tests <- c(paste(ts1$solution[[1]], collapse = " + "), paste(ts2$solution[[1]], collapse = " + "))
ref$rob_fit <- as.list(as.data.frame(rob.fit(test_sol = tests, initial_sol = sol, outcome = "Y")))
ref$rob_corefit <- as.vector(rob.corefit(test_sol = tests, initial_sol = sol, outcome = "Y"))
ref$rob_case_ratio <- as.list(as.data.frame(SetMethods:::rob.case.ratio(test_sol = tests, initial_sol = sol, outcome = "Y")))
# rob.cases() itself stops here ("some set names do not have brackets", in robust.intersections) when the
# solutions have several models; its case table rob.evaluation() is what the case types are read from.
nd <- SetMethods:::rob.evaluation(test_sol = tests, initial_sol = sol, outcome = "Y")
ref$rob_evaluation <- as.list(as.data.frame(nd))
ref$rob_evaluation_names <- names(as.data.frame(nd))

# smmr(match = FALSE): typical (1), deviant consistency (3), deviant coverage (4), irrelevant (5)
for (k in c(1, 3, 4, 5)) {
  # smmr() stops ("no rows to aggregate") when a role has no case: recorded as an empty list.
  r <- tryCatch(smmr(results = sol, outcome = "Y", match = FALSE, cases = k), error = function(e) NULL)
  ref[[paste0("smmr_", k)]] <- if (is.null(r)) list() else r[[1]]$results
}

# esa(): untenable ~B*C, necessary A + D, then the parsimonious solution
tt <- truthTable(d, outcome = "Y", conditions = conds, incl.cut = 0.8)
ett <- esa(oldtt = tt, untenable_LR = c("~B*C"), nec_cond = c("A + C"))
esol <- minimize(ett, include = "?")
ref$esa_models <- I(sapply(esol$solution, paste, collapse = " + "))
ref$esa_out <- ett$tt$OUT
ref$tt_out <- tt$tt$OUT

# theory.evaluation() is not called: on these data it did not return within 150 s (SetMethods 4.0 on R 4.2.2),
# so tests/r/theory_evaluation_reference.R makes its reference on smaller (3-condition) data.
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE, dataframe = "columns"),
           file.path(out, "setmethods_reference.json"))
