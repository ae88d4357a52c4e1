# Reference values for test_theory_evaluation_* in tests/test_qca_diagnostics.py, from SetMethods 4.0
# theory.evaluation() on R QCA 3.25.1. Small data (3 conditions) because on the 4-condition data of
# setmethods_reference.R theory.evaluation() did not return within 150 s.
# Run from the repository root:  timeout 120 Rscript tests/r/theory_evaluation_reference.R
# Writes tests/data/qca/theory_evaluation_<kind>.csv (data generated here with set.seed; the package never saw it)
# and tests/data/qca/theory_evaluation_reference.json (what SetMethods gives).
suppressMessages({library(QCA); library(SetMethods); library(jsonlite)})
out <- "tests/data/qca"
set.seed(20261202)
n <- 16
gen <- function(kind) {
  if (kind == "crisp") {
    d <- as.data.frame(matrix(rbinom(n * 3, 1, 0.5), ncol = 3))
  } else {
    d <- as.data.frame(matrix(round(rbeta(n * 3, 0.7, 0.7), 2), ncol = 3))
    d[d == 0.5] <- 0.51
  }
  names(d) <- c("A", "B", "C")
  y <- pmax(pmin(d$A, d$B), pmin(d$C, 1 - d$A))
  if (kind == "crisp") {
    flip <- runif(n) < 0.15; y[flip] <- 1 - y[flip]
  } else {
    y <- pmin(1, pmax(0, round(y + rnorm(n, 0, 0.12), 2))); y[y == 0.5] <- 0.52
  }
  d$Y <- y
  rownames(d) <- paste0(rep(c("KR", "JP"), each = n / 2), "-", sprintf("%02d", 1:n))
  d
}
theory <- "A*~B + C"
ref <- list(theory = theory)
for (kind in c("crisp", "fuzzy")) {
  d <- gen(kind)
  write.csv(data.frame(id = rownames(d), d), file.path(out, paste0("theory_evaluation_", kind, ".csv")),
            row.names = FALSE)
  ic <- if (kind == "crisp") 0.75 else 0.8
  sol <- minimize(truthTable(d, outcome = "Y", conditions = c("A", "B", "C"), incl.cut = ic), include = "?")
  # theory.evaluation() = theory.data() + cases.theory.evaluation() + theory.fit(); theory.fit() stops here
  # ("object 'xideclared' not found": its rbind() onto an empty data.frame dispatches to the declared package),
  # so its loop is run with SetMethods' own QCAfit() on SetMethods' own theory.data(), bound by matrix rbind.
  te <- list(data = SetMethods:::theory.data(theory = theory, empirics = sol, outcome = "Y", sol = 1),
             cases = SetMethods:::cases.theory.evaluation(theory = theory, empirics = sol, outcome = "Y", sol = 1))
  rows <- c("Theory", "Sol.Formula", "T*S", "~T*S", "T*~S", "~T*~S")
  fit <- as.data.frame(do.call(rbind, lapply(rows, function(r)
    QCAfit(te$data[, r], te$data$Outcome, necessity = FALSE))))
  names(fit) <- c("Cons.Suf", "Cov.Suf", "PRI")
  names_of <- function(x) if (identical(x, "No cases in this intersection")) I(character(0)) else I(x)
  # the spec's correction of SetMethods' T*S / Y < 0.5 list (it tests the missing column "T*E"):
  # the same rule as for the other intersections, on SetMethods' own T*S membership.
  ts_small <- rownames(te$data)[te$data$"T*S" > 0.5 & te$data$Outcome < 0.5]
  ref[[kind]] <- list(
    incl_cut = ic,
    expression = paste(sol$solution[[1]], collapse = " + "),
    intersection = c("T", "S", "T*S", "~T*S", "T*~S", "~T*~S"),
    consistency = fit$Cons.Suf, PRI = fit$PRI, coverage = fit$Cov.Suf,
    # memberships SetMethods computes (unrounded), to compare the sums exactly
    membership = lapply(te$data[c("Theory", "Sol.Formula", "T*S", "~T*S", "T*~S", "~T*~S", "Outcome")], as.vector),
    cases = lapply(te$cases, function(x) names_of(x$CaseNames)),
    ts_small_by_spec = I(ts_small))
}
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "theory_evaluation_reference.json"))
