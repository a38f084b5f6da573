using System.Text.Json.Nodes;
using CsCheck;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Damaged copies of a JSON document (profiles, configuration files): edits of its tree (a
/// value replaced by one of another type, a huge or negative number, a long string, a deep
/// nest; a property removed or given a wrong-case or duplicate name) or of its text (cut, bytes
/// flipped or overwritten). Drawn from CsCheck generators.
/// </summary>
internal static class JsonMutation
{
    private static readonly System.Text.Json.JsonDocumentOptions s_deep = new() { MaxDepth = 10_000 };

    /// <summary>Values of every JSON type, including ones no schema expects.</summary>
    private static readonly Gen<string> s_value = Gen.OneOf(
        Gen.OneOf("null", "true", "false", "0", "-1", "1e309", "-1e309", "18446744073709551616", "4294967296", "2147483648", "-2147483649", "0.5", "\"\"", "[]", "{}",
            "\"arg0\"", "\"arg9\"", "\"mem:arg0+0xFFFFFFFF\"", "\"out:arg3\"", "\"kernel\"", "\"user\"", "\"Alloc\"", "\"Nope\"", "\"256M\"", "\"0\"", "\"99999G\"", "\"-1M\"",
            "\"file:/no/such/dir/x\"", "\"/no/such/file\"", "\"\\u0000\"", "\"\\ud800\"", "[null]", "[[]]", "{\"a\": {}}", "[1, \"x\", null]"),
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String.Select(s => JsonValue.Create(s).ToJsonString()),
        Gen.Int[1, 500].Select(n => new string('[', n) + new string(']', n)),
        Gen.Int[1, 500].Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n)),
        Gen.Int[1, 100_000].Select(n => "\"" + new string('x', n) + "\""));

    /// <summary>Mutations of <paramref name="json"/> as text.</summary>
    public static Gen<string> Of(string json)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        Gen<string> textual = ByteMutation.For(bytes, bytes.Length).Select(m => System.Text.Encoding.UTF8.GetString(m.Apply(bytes)));
        Gen<string> tree = Gen.Select(Gen.Int[0, 1000].Array[1, 4], s_value.Array[4], Gen.Int[0, 4].Array[4], (picks, values, kinds) => Edit(json, picks, values, kinds));
        return Gen.Frequency((3, tree), (2, textual));
    }

    /// <summary>Applies up to four edits, each at the node numbered picks[i] (modulo the count) in document order; an edit the tree cannot hold (a lone surrogate written back) ends the editing.</summary>
    private static string Edit(string json, int[] picks, string[] values, int[] kinds)
    {
        string done = json;
        try
        {
            EditInto(json, picks, values, kinds, ref done);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException)
        {
            // keep the edits made so far
        }
        return done;
    }

    private static void EditInto(string json, int[] picks, string[] values, int[] kinds, ref string done)
    {
        JsonNode root = JsonNode.Parse(json, documentOptions: s_deep)!;
        string text = root.ToJsonString();
        for (int i = 0; i < picks.Length; i++)
        {
            var nodes = new List<JsonNode>();
            try
            {
                root = JsonNode.Parse(text, documentOptions: s_deep)!;
                Collect(root, nodes);
            }
            catch (ArgumentException)
            {
                return; // a duplicate name made earlier: the tree cannot be edited further
            }
            JsonNode target = nodes[picks[i] % nodes.Count];
            JsonNode? parent = target.Parent;
            if (parent is null)
            {
                continue;
            }
            switch (kinds[i])
            {
                case 0 or 1: // replace the value
                    Replace(target, JsonNode.Parse(values[i], documentOptions: s_deep));
                    break;
                case 2 when parent is JsonObject o: // remove the property
                    o.Remove(target.GetPropertyName());
                    break;
                case 2 when parent is JsonArray a:
                    a.Remove(target);
                    break;
                case 3 when parent is JsonObject o: // the same property under a wrong-case name
                {
                    string name = target.GetPropertyName();
                    o.Remove(name);
                    o[name.ToUpperInvariant() == name ? name.ToLowerInvariant() : name.ToUpperInvariant()] = target;
                    break;
                }
                default: // a duplicate property name in the text (JsonObject cannot hold one)
                    if (parent is JsonObject)
                    {
                        string name = target.GetPropertyName();
                        text = root.ToJsonString();
                        int at = text.IndexOf("\"" + name + "\"", StringComparison.Ordinal);
                        if (at >= 0)
                        {
                            text = text.Insert(at, $"\"{name}\": {values[i]}, ");
                        }
                        done = text;
                        continue;
                    }
                    break;
            }
            text = root.ToJsonString();
            done = text;
        }
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = value;
                break;
            case JsonArray a:
                a[a.IndexOf(target)] = value;
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }
        into.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (KeyValuePair<string, JsonNode?> p in o)
                {
                    Collect(p.Value, into);
                }
                break;
            case JsonArray a:
                foreach (JsonNode? x in a)
                {
                    Collect(x, into);
                }
                break;
        }
    }
}
