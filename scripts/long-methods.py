#!/usr/bin/env python3
# Methods longer than N lines in Java sources (declaration line to closing brace), longest first.
# Usage: scripts/long-methods.py 80 src emulator   (the list in docs/architecture.md)
import re,sys,os
# Methods over N lines in Java sources: a declaration line (modifiers/type/name(...) ... {) to its closing brace.
DECL=re.compile(r'^(\s+)(?:@\w+\s+)*(?:(?:public|private|protected|static|final|synchronized|abstract|default|native)\s+)*(?:<[^>]+>\s+)?[\w<>\[\],.? ]+\s+(\w+)\s*\([^;]*$')
CTOR=re.compile(r'^(\s+)(?:(?:public|private|protected)\s+)?([A-Z]\w*)\s*\([^;]*$')
def strip(line):
    line=re.sub(r'"(?:\\.|[^"\\])*"','""',line); line=re.sub(r"'(?:\\.|[^'\\])'","''",line)
    return re.sub(r'//.*','',line)
limit=int(sys.argv[1]); out=[]
for root in sys.argv[2:]:
  for d,_,fs in os.walk(root):
    for f in fs:
      if not f.endswith('.java'): continue
      p=os.path.join(d,f); lines=open(p).read().split('\n')
      i=0; incomment=False
      while i<len(lines):
        l=lines[i]
        m=DECL.match(l) or CTOR.match(l)
        if m and not l.strip().startswith(('if','for','while','switch','return','new','else','catch','try','*','//')) and ' = ' not in l.split('(')[0]:
          # find the opening brace (declaration may span lines)
          j=i; depth=0; opened=False
          while j<len(lines):
            s=strip(lines[j])
            if not opened and ';' in s and '{' not in s: break
            for ch in s:
              if ch=='{': depth+=1; opened=True
              elif ch=='}': depth-=1
            if opened and depth<=0: break
            j+=1
          if opened:
            n=j-i+1
            if n>limit: out.append((n,p,m.group(2),i+1))
            # do not skip: nested classes' methods are counted too
        i+=1
for n,p,name,line in sorted(out,reverse=True): print(n,p+':'+str(line),name)
