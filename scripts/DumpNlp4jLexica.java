// Prints one of NLP4J's English lexica as sorted TSV, so that the output is the same on
// every run:
//   clusters FILE   Brown clusters: word<TAB>bit string (the longest path NLP4J keeps)
//   phrases FILE    named-entity gazetteer: phrase<TAB>id,id,... (the gazetteers listing it)
// FILE is the lexicon decompressed from the nlp4j-english jar (Java-serialised). Run by
// scripts/build-clusters as a single-file program:
//   java -cp nlp4j-common.jar scripts/DumpNlp4jLexica.java clusters FILE
import edu.emory.mathcs.nlp.common.collection.tree.PrefixNode;
import edu.emory.mathcs.nlp.common.collection.tree.PrefixTree;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

public class DumpNlp4jLexica {
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("clusters") || args[0].equals("phrases"))) {
      System.err.println("usage: DumpNlp4jLexica clusters|phrases FILE");
      System.exit(2);
    }
    TreeMap<String, String> rows = new TreeMap<>();
    try (ObjectInputStream in =
        new ObjectInputStream(new BufferedInputStream(new FileInputStream(args[1]), 1 << 20))) {
      Object lexicon = in.readObject();
      if (args[0].equals("clusters")) {
        @SuppressWarnings("unchecked")
        Map<String, Set<String>> prefixes = (Map<String, Set<String>>) lexicon;
        for (Map.Entry<String, Set<String>> e : prefixes.entrySet()) {
          String path = "";
          for (String p : e.getValue()) if (p.length() > path.length()) path = p;
          rows.put(e.getKey(), path);
        }
      } else {
        @SuppressWarnings("unchecked")
        PrefixTree<String, Set<String>> tree = (PrefixTree<String, Set<String>>) lexicon;
        walk(tree.getRoot(), "", rows);
      }
    }
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 20), false, "UTF-8");
    for (Map.Entry<String, String> e : rows.entrySet()) {
      // A row that would read as a comment, or whose word holds a tab, is left out.
      if (e.getKey().startsWith("#") || e.getKey().contains("\t") || e.getValue().isEmpty()) continue;
      out.print(e.getKey());
      out.print('\t');
      out.print(e.getValue());
      out.print('\n');
    }
    out.flush();
  }

  /** Every phrase under a node of the gazetteer's word tree, with the ids stored there. */
  static void walk(PrefixNode<String, Set<String>> node, String path, TreeMap<String, String> rows) {
    for (Map.Entry<String, PrefixNode<String, Set<String>>> e : node.entrySet()) {
      String phrase = path.isEmpty() ? e.getKey() : path + " " + e.getKey();
      PrefixNode<String, Set<String>> child = e.getValue();
      if (child.hasValue() && child.getValue() != null) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String id : child.getValue()) ids.add(Integer.parseInt(id));
        StringBuilder list = new StringBuilder();
        for (Integer id : ids) list.append(list.length() == 0 ? "" : ",").append(id);
        rows.put(phrase, list.toString());
      }
      walk(child, phrase, rows);
    }
  }
}
