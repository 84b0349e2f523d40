package procedures.esanalysis;

final class Grams {
    private Grams() {}

    static void check(int minGram, int maxGram) {
        if (minGram < 1) {
            throw new IllegalArgumentException("[min_gram] must be at least 1, got " + minGram);
        }
        if (maxGram < minGram) {
            throw new IllegalArgumentException("[max_gram] (" + maxGram + ") must be >= [min_gram] (" + minGram + ")");
        }
    }
}
