# Reference values for tests/test_qca_r_minimize.py, from R QCA 3.25.1 built from github.com/dusadrian/QCA.
# Run from the repository root:  Rscript tests/r/minimize_reference.R
# Writes tests/data/qca/<name>.csv (the data) and tests/data/qca/minimize_reference.json (what R gives).
suppressMessages({library(QCA); library(jsonlite)})
out <- "tests/data/qca"
models <- function(sol) {
  if (!is.null(sol$i.sol)) {
    ms <- unique(unlist(lapply(sol$i.sol, function(x) sapply(x$solution, paste, collapse = " + "))))
    ec <- lapply(sol$i.sol, function(x) as.integer(rownames(x$EC)))
    return(list(models = I(sort(ms)), ec = ec))
  }
  list(models = I(sort(sapply(sol$solution, paste, collapse = " + "))))
}
fitof <- function(sol, data, outcome) {
  m <- if (!is.null(sol$i.sol)) sol$i.sol[[1]]$solution[[1]] else sol$solution[[1]]
  p <- pof(paste(m, collapse = " + "), outcome = outcome, data = data, relation = "sufficiency")
  ic <- p$incl.cov
  list(expression = paste(m, collapse = " + "), inclS = ic[nrow(ic), "inclS"], PRI = ic[nrow(ic), "PRI"],
       covS = ic[nrow(ic), "covS"])
}
ref <- list()
# declared (labelled) columns such as LF$IND are written as their numbers, not their labels.
save_data <- function(df, name) {
  df[] <- lapply(df, function(x) if (is.numeric(x)) as.vector(unclass(x)) else as.character(x))
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = TRUE)
}

# 1. R's documented examples (minimize help page)
data(LF); data(CVF); data(RS)
save_data(LF, "LF"); save_data(CVF, "CVF"); save_data(RS, "RS")
ttLF <- truthTable(LF, SURV, incl.cut = 0.8)
ref$LF_conjunctural <- models(minimize(ttLF, include = "?", dir.exp = c(DEV, STB, ~LIT*IND)))
ttCVF <- truthTable(CVF, outcome = PROTEST, incl.cut = 0.8)
ref$CVF_parsimonious <- models(minimize(ttCVF, include = "?"))
ref$CVF_row_dom <- models(minimize(ttCVF, include = "?", row.dom = TRUE))
rs <- minimize(RS, outcome = REC)
ref$RS_conservative <- c(models(rs), fitof(rs, RS, "REC"))
ttRS <- truthTable(RS, outcome = REC)$tt
ref$RS_rows <- as.integer(rownames(ttRS)[ttRS$n > 0])

# 2. Random data sets generated here (the package never saw them)
set.seed(20261201)
gen_crisp <- function(n, k) {
  X <- as.data.frame(matrix(rbinom(n * k, 1, 0.5), ncol = k)); names(X) <- LETTERS[1:k]
  X$Y <- as.integer((X$A & X$B) | (X$C & !X$D)); flip <- runif(n) < 0.15; X$Y[flip] <- 1L - X$Y[flip]; X
}
gen_fuzzy <- function(n, k) {
  X <- as.data.frame(matrix(round(rbeta(n * k, 0.7, 0.7), 2), ncol = k)); names(X) <- LETTERS[1:k]
  X[X == 0.5] <- 0.51
  X$Y <- pmin(1, pmax(0, round(pmax(pmin(X$A, X$B), pmin(X$C, 1 - X$D)) + rnorm(n, 0, 0.12), 2))); X
}
gen_mv <- function(n, k) {
  X <- as.data.frame(matrix(sample(0:1, n * k, TRUE), ncol = k)); names(X) <- LETTERS[1:k]
  X$A <- sample(0:2, n, TRUE)
  X$Y <- as.integer((X$A == 2 & X$B == 1) | (X$C == 1 & X$D == 0)); flip <- runif(n) < 0.1; X$Y[flip] <- 1L - X$Y[flip]; X
}
random <- list()
for (i in 1:15) {
  kind <- c("crisp", "fuzzy", "mv")[(i - 1) %% 3 + 1]
  k <- if (i > 9) 6 else 5
  df <- switch(kind, crisp = gen_crisp(18, k), fuzzy = gen_fuzzy(22, k), mv = gen_mv(20, k))
  name <- sprintf("random_%s_%d", kind, i)
  save_data(df, name)
  ic <- if (kind == "fuzzy") 0.8 else 0.75
  tt <- truthTable(df, outcome = "Y", conditions = LETTERS[1:k], incl.cut = ic)
  de <- if (kind == "mv") c("A[2]", "B[1]", "C[1]", "D[0]", rep("-", k - 4)) else c(1, 1, 1, 0, rep("-", k - 4))
  entry <- list(kind = kind, incl_cut = ic, dir_exp = de)
  for (what in c("conservative", "parsimonious", "intermediate")) {
    sol <- tryCatch(switch(what,
      conservative = minimize(tt),
      parsimonious = minimize(tt, include = "?"),
      intermediate = minimize(tt, include = "?", dir.exp = de)), error = function(e) NULL)
    if (is.null(sol)) next
    entry[[what]] <- c(models(sol), fitof(sol, df, "Y"))
  }
  random[[name]] <- entry
}
ref$random <- random
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "minimize_reference.json"))
