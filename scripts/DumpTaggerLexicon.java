// Prints the word-tag counts a Stanford CoreNLP part-of-speech tagger model learned from its
// training treebank, one word form per line: `word<TAB>TAG:count TAG:count ...`, words and
// tags in sorted order, so that the output is the same on every run.
//
// Run by scripts/build-lexicon as a single-file program:
//   java -cp stanford-corenlp.jar scripts/DumpTaggerLexicon.java MODEL
// CoreNLP has no public accessor for a tagger's dictionary (MaxentTagger keeps it in a
// package-private field), hence the reflection.
import edu.stanford.nlp.tagger.maxent.MaxentTagger;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.TreeMap;

public class DumpTaggerLexicon {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: DumpTaggerLexicon MODEL");
      System.exit(2);
    }
    MaxentTagger tagger = new MaxentTagger(args[0]);
    Object dictionary = field(tagger, "dict");
    @SuppressWarnings("unchecked")
    Map<String, Object> words = (Map<String, Object>) field(dictionary, "dict");
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Object> word : new TreeMap<>(words).entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Integer> tags = (Map<String, Integer>) field(word.getValue(), "map");
      line.setLength(0);
      line.append(word.getKey()).append('\t');
      String sep = "";
      for (Map.Entry<String, Integer> tag : new TreeMap<>(tags).entrySet()) {
        line.append(sep).append(tag.getKey()).append(':').append(tag.getValue());
        sep = " ";
      }
      System.out.println(line);
    }
  }

  /** The value of the first field called `name` in the object's class or its ancestors. */
  private static Object field(Object owner, String name) throws Exception {
    for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
  }
}
