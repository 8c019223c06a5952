# title, capitalize, casefold and swapcase over words, sigmas, digraphs and SpecialCasing
# (issue 17).
for s in ['hello world', "they're bill's friends", 'ΣΑΣ ΣΑΣ', 'ǆemal ǈ', 'ßtraße', 'ﬁne ŉ', 'İstanbul', 'a1b2 c3', '', 'x', 'ΑΣ', 'hELLO wORLD', '3rd ΌΣΟΣ', 'é', 'Ⓐⓑ']:
    print(repr(s.title()), repr(s.capitalize()), repr(s.casefold()), repr(s.swapcase()), s.title() is s, s.casefold() is s)
