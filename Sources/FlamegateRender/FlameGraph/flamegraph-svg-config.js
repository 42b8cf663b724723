var FG = {xpad: {{xpad}}, fontsize: {{fontSize}}, fontwidth: {{fontWidth}}, inverted: {{inverted}}, nametype: {{nameType}}};
