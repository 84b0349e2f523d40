package procedures.esanalysis;

import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.IntSetting;
import org.elasticsearch.plugin.settings.ListSetting;
import org.elasticsearch.plugin.settings.StringSetting;

import java.util.List;

/**
 * Settings shared by the ngram / edge_ngram token filters and tokenizers and by
 * asciifolding. Elasticsearch generates the implementation (a proxy reading the
 * component's settings) and injects it into the @Inject constructors.
 * Defaults are those of the analysis-common module.
 */
@AnalysisSettings
public interface NGramSettings {
    @IntSetting(path = "min_gram", defaultValue = 1)
    int minGram();

    @IntSetting(path = "max_gram", defaultValue = 2)
    int maxGram();

    @BooleanSetting(path = "preserve_original", defaultValue = false)
    boolean preserveOriginal();

    /** letter, digit, whitespace, punctuation, symbol, custom; empty = every character. */
    @ListSetting(path = "token_chars")
    List<String> tokenChars();

    @StringSetting(path = "custom_token_chars", defaultValue = "")
    String customTokenChars();
}
