# Run CooRTweet 2.1.3's own detect_groups + generate_coordinated_network on one CSV, for
# benchmarks/compare_coortweet.py. Needs R with data.table and igraph, and CooRTweet's R/ folder
# (from https://github.com/nicolarighetti/CooRTweet) at $COORTWEET_SRC.
# Usage: Rscript run_coortweet.R INPUT.csv OUT_edges.csv TIME_WINDOW MIN_PARTICIPATION EDGE_WEIGHT
suppressPackageStartupMessages({
  library(data.table)
  library(igraph)
})
args <- commandArgs(trailingOnly = TRUE)
src <- Sys.getenv("COORTWEET_SRC")
for (f in c("detect_groups.R", "calc_group_combinations.R", "generate_coordinated_network.R")) {
  source(file.path(src, f))
}
x <- fread(args[1], colClasses = c(object_id = "character", account_id = "character",
                                   content_id = "character", timestamp_share = "numeric"))
result <- detect_groups(x, time_window = as.numeric(args[3]), min_participation = as.integer(args[4]))
fwrite(result, paste0(args[2], ".pairs.csv"))
g <- generate_coordinated_network(result, edge_weight = as.numeric(args[5]), subgraph = 1)
e <- as_data_frame(g, what = "edges")
a <- pmin(e$from, e$to)
b <- pmax(e$from, e$to)
fwrite(data.table(account_1 = a, account_2 = b, weight = e$weight), args[2])
