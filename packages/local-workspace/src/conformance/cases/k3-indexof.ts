import type { DocPage } from "../case";

export default {
  page: "indexof()",
  url: "https://learn.microsoft.com/kusto/query/indexof-function",
  cases: [
    // the documented example and its output row
    {
      query: `print
 idx1 = indexof("abcdefg","cde")    // lookup found in input string
 , idx2 = indexof("abcdefg","cde",1,4) // lookup found in researched range
 , idx3 = indexof("abcdefg","cde",1,2) // search starts from index 1, but stops after 2 chars, so full lookup can't be found
 , idx4 = indexof("abcdefg","cde",3,4) // search starts after occurrence of lookup
 , idx5 = indexof("abcdefg","cde",-5)  // negative start index
 , idx6 = indexof(1234567,5,1,4)       // two first parameters were forcibly casted to strings "12345" and "5"
 , idx7 = indexof("abcdefg","cde",2,-1)  // lookup found in input string
 , idx8 = indexof("abcdefgabcdefg", "cde", 1, 10, 2)   // lookup found in input range
 , idx9 = indexof("abcdefgabcdefg", "cde", 1, -1, 3)   // the third occurrence of lookup is not in researched range`,
      columns: [["idx1", "long"], ["idx2", "long"], ["idx3", "long"], ["idx4", "long"], ["idx5", "long"], ["idx6", "long"], ["idx7", "long"], ["idx8", "long"], ["idx9", "long"]],
      rows: [[2, 2, -1, -1, 2, 4, 2, 9, -1]],
    },
    // "Returns null if occurrence is less than 0, or length is less than -1"
    { query: 'print r = indexof("abc", "b", 0, -2)', columns: [["r", "long"]], rows: [[null]] },
    { query: 'print r = indexof("abc", "b", 0, -1, -1)', columns: [["r", "long"]], rows: [[null]] },
  ],
} satisfies DocPage;
