# Reference values for the multi-value intermediate solutions in tests/test_qca_r_minimize.py, from R QCA 3.25.1.
# (tests/r/minimize_reference.R gave R a per-condition vector with "-" entries for multi-value data, which R
# rejects; R wants multi-value expectations in bracket notation, as a vector c("A[2]", "B[1]") or one string
# "A[2], B[1]", with don't-care conditions left out: ?minimize, argument dir.exp.)
# Run from the repository root:  timeout 120 Rscript tests/r/minimize_mv_intermediate_reference.R
# Writes tests/data/qca/random_mvi_<i>.csv (data generated here with set.seed; the package never saw it) and
# tests/data/qca/minimize_mv_intermediate_reference.json (what R gives).
suppressMessages({library(QCA); library(jsonlite)})
out <- "tests/data/qca"
models <- function(sol) {
  ms <- unique(unlist(lapply(sol$i.sol, function(x) sapply(x$solution, paste, collapse = " + "))))
  ec <- lapply(sol$i.sol, function(x) as.integer(rownames(x$EC)))
  list(models = I(sort(ms)), ec = ec)
}
fitof <- function(sol, data) {
  m <- sol$i.sol[[1]]$solution[[1]]
  ic <- pof(paste(m, collapse = " + "), outcome = "Y", data = data, relation = "sufficiency")$incl.cov
  list(expression = paste(m, collapse = " + "), inclS = ic[nrow(ic), "inclS"], PRI = ic[nrow(ic), "PRI"],
       covS = ic[nrow(ic), "covS"])
}
set.seed(20261203)
gen_mv <- function(n) {
  X <- data.frame(A = sample(0:2, n, TRUE), B = sample(0:1, n, TRUE), C = sample(0:2, n, TRUE),
                  D = sample(0:1, n, TRUE), E = sample(0:1, n, TRUE))
  X$Y <- as.integer((X$A == 2 & X$B == 1) | (X$C >= 1 & X$D == 0)); flip <- runif(n) < 0.1
  X$Y[flip] <- 1L - X$Y[flip]; X
}
# both of R's forms: a vector of expectations and one comma-separated string
dir_exps <- list(c("A[2]", "B[1]", "C[1]", "D[0]"), "A[2], B[1], C[2], D[0], E[1]", c("A[2]", "C[1]", "D[0]"))
random <- list()
for (i in 1:3) {
  df <- gen_mv(22)
  rownames(df) <- sprintf("c%02d", seq_len(nrow(df)))
  name <- sprintf("random_mvi_%d", i)
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = TRUE)
  tt <- truthTable(df, outcome = "Y", conditions = LETTERS[1:5], incl.cut = 0.75)
  sol <- minimize(tt, include = "?", dir.exp = dir_exps[[i]])
  random[[name]] <- list(kind = "mv", incl_cut = 0.75, dir_exp = if (length(dir_exps[[i]]) > 1) I(dir_exps[[i]]) else dir_exps[[i]],
                         intermediate = c(models(sol), fitof(sol, df)))
}
writeLines(toJSON(list(random = random), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out, "minimize_mv_intermediate_reference.json"))
