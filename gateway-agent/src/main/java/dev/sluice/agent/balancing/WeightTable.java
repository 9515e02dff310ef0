package dev.sluice.agent.balancing;

/** Cumulative weights of one candidate array, for weighted sampling by binary search. */
final class WeightTable {
  final Endpoint[] candidates;
  final int[] cumulative;
  final int total;
  final boolean uniform;

  WeightTable(Endpoint[] candidates) {
    this.candidates = candidates;
    this.cumulative = new int[candidates.length];
    int sum = 0;
    boolean same = true;
    for (int i = 0; i < candidates.length; i++) {
      sum += candidates[i].weight();
      cumulative[i] = sum;
      same &= candidates[i].weight() == candidates[0].weight();
    }
    this.total = sum;
    this.uniform = same;
  }

  /** The index whose weight range holds {@code point}, for {@code 0 <= point < total}. */
  int indexAt(int point) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > point) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
