// Prints, for each line of stdin, the tokens Lucene makes of it with the two analyzers of
// models.py, tab-separated: "english_folded" (EnglishAnalyzer's chain with ASCII folding after
// lowercase) and "plain" (standard tokenizer, lowercase, ASCII folding).
// Run: java -cp <lucene jars> Analyze.java < words.txt
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public class Analyze {
    static String tokens(Analyzer analyzer, String text) throws Exception {
        List<String> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        }
        return String.join(" ", out);
    }

    public static void main(String[] args) throws Exception {
        // EnglishAnalyzer's own chain: possessive, lowercase, its stop set (the stop factory's
        // default), Porter; plus ASCII folding.
        Analyzer english = CustomAnalyzer.builder().withTokenizer("standard")
            .addTokenFilter("englishPossessive").addTokenFilter("lowercase").addTokenFilter("asciiFolding")
            .addTokenFilter("stop").addTokenFilter("porterStem").build();
        Analyzer plain = CustomAnalyzer.builder().withTokenizer("standard")
            .addTokenFilter("lowercase").addTokenFilter("asciiFolding").build();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            System.out.println(tokens(english, line) + "\t" + tokens(plain, line));
        }
    }
}
